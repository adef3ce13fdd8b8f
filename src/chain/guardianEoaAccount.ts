/**
 * The wallet's plain EOA as a viem account, signed by the guardians over the network (DKLs23):
 *
 *     const account = guardianEoaAccount(guardian.eoaSigner());   // src/protocol/guardian.ts
 *     await walletClient.sendTransaction({ account, to, value });   // request → t approvals → DKLs23 run
 *
 *
 * `thresholdEcdsaAccount` hashes locally and hands a bare digest to its signer; the guardians, though, only ever
 * sign *typed* requests (they recompute the digest and run their policy on the decoded fields). So this wraps it:
 * `signTransaction` / `signMessage` first turn their input into an `eoa-transaction` / `eoa-message` request and
 * note its core digest; the inner account then asks the signer for a digest, which must be exactly one noted —
 * so viem's serialisation and the core's RLP have to agree, or nothing is signed. Every other signing kind
 * (typed data, authorizations, raw hashes) is refused: no raw bytes reach the guardians.
 */
import { bytesToHex, hexToBytes, toBytes, type Hex, type LocalAccount, type SignableMessage, type TransactionSerializable } from 'viem';
import { thresholdEcdsaAccount, type EcdsaDigestSigner } from './thresholdEcdsaAccount.ts';
import { CairnError, signingDigest, type Address, type SigningRequest } from '../core/index.ts';

/** What the guardian facade provides: the group key, and asking the guardians to sign a typed request (r ‖ s ‖ yParity). */
export type EoaRequester = { groupKey: Uint8Array; request: (request: SigningRequest) => Promise<{ signature: Uint8Array }> };

/** Decodes an EIP-1559 transaction into the typed request the guardians check (every field explicit). */
export function eoaTransactionRequest(tx: TransactionSerializable): SigningRequest {
  if (tx.type !== undefined && tx.type !== 'eip1559') throw new CairnError('BAD_PARAMETERS', 'The EOA signs EIP-1559 transactions only');
  const { chainId, nonce, to, gas, maxFeePerGas, maxPriorityFeePerGas } = tx as TransactionSerializable & { type?: 'eip1559' };
  if (chainId === undefined || nonce === undefined || !to || gas === undefined || maxFeePerGas === undefined || maxPriorityFeePerGas === undefined)
    throw new CairnError('BAD_PARAMETERS', 'An EOA transaction needs chainId, nonce, to, gas and both EIP-1559 fee fields');
  if ((tx as { accessList?: unknown[] }).accessList?.length || (tx as { authorizationList?: unknown[] }).authorizationList?.length)
    throw new CairnError('BAD_PARAMETERS', 'Access lists and authorizations are not supported for EOA requests');
  return {
    type: 'eoa-transaction',
    chainId: BigInt(chainId),
    nonce: BigInt(nonce),
    to: to.toLowerCase() as Address,
    value: tx.value ?? 0n,
    data: tx.data ? hexToBytes(tx.data) : new Uint8Array(0),
    gas,
    maxFeePerGas,
    maxPriorityFeePerGas,
  };
}

function messageBytes(message: SignableMessage): Uint8Array {
  if (typeof message === 'string') return toBytes(message);
  return typeof message.raw === 'string' ? hexToBytes(message.raw) : message.raw;
}

export function guardianEoaAccount(p: EoaRequester): LocalAccount<'threshold-ecdsa'> {
  const pending = new Map<string, SigningRequest>();
  const signer: EcdsaDigestSigner = {
    publicKey: p.groupKey,
    async signDigest(digest) {
      const request = pending.get(bytesToHex(digest));
      if (!request) throw new CairnError('BAD_PARAMETERS', 'The guardians sign typed EOA requests only (EIP-1559 transactions, EIP-191 messages)');
      const { signature } = await p.request(request);
      const r = BigInt(bytesToHex(signature.subarray(0, 32)));
      const s = BigInt(bytesToHex(signature.subarray(32, 64)));
      return { r, s, yParity: signature[64] as 0 | 1 };
    },
  };
  const inner = thresholdEcdsaAccount({ signer });
  async function withRequest<T>(request: SigningRequest, f: () => Promise<T>): Promise<T> {
    const key = bytesToHex(signingDigest(request));
    pending.set(key, request);
    try {
      return await f();
    } finally {
      pending.delete(key);
    }
  }
  const refuse = async (): Promise<never> => {
    throw new CairnError('BAD_PARAMETERS', 'The guardians sign typed EOA requests only (EIP-1559 transactions, EIP-191 messages)');
  };
  return {
    ...inner,
    sign: refuse,
    signTypedData: refuse,
    signAuthorization: refuse,
    async signMessage({ message }): Promise<Hex> {
      return withRequest({ type: 'eoa-message', message: messageBytes(message) }, () => inner.signMessage({ message }));
    },
    async signTransaction(transaction, options) {
      return withRequest(eoaTransactionRequest(transaction), () => inner.signTransaction(transaction, options));
    },
  } as LocalAccount<'threshold-ecdsa'>;
}

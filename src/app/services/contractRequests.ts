/**
 * Contract calls and typed-data signatures, from the vault or the plain address. A call from the vault
 * is a user operation carrying the call data (the guardians see it decoded, `describeRequest.ts`); from
 * the plain address it is an EIP-1559 transaction with data (`sendEoaTransaction`). Typed data goes
 * into the log whole (`vault-typed-data` / `eoa-typed-data`): the vault's signature is checked with
 * its own ERC-1271 `isValidSignature` on chain, the plain address's by recovering the signer, before
 * anyone is shown it.
 */
import { bytesToHex, formatEther, getAddress, hashTypedData, recoverTypedDataAddress, type Address, type Hex, type TypedDataDefinition } from 'viem';
import { CairnError, type SigningRequest, type TypedDataDocument } from '../../core/index.ts';
import { encodeContractSignature } from '../../chain/contractSignature.ts';
import { cairnVaultAbi } from '../../chain/generated/CairnVault.ts';
import { openChain, readBalances } from './chain.ts';
import { sendEoaTransaction, withTimeout } from './sendFromEoa.ts';
import type { PaymentResult } from './sendPayment.ts';
import { loadSettings } from './settings.ts';
import { openVaultOperations } from './vaultOperations.ts';
import type { WalletSession } from './walletSession.ts';

export type ContractCall = { from: 'vault' | 'eoa'; to: Address; value: bigint; data: Hex };

const SIGNATURE_WAIT_MS = 180_000;
/** The ERC-1271 "valid" answer (bytes4(keccak256("isValidSignature(bytes32,bytes)"))). */
const ERC1271_MAGIC = '0x1626ba7e';

/** Asks the guardians to make `call` from the vault or the plain address, then submits it. */
export async function sendContractCall(session: WalletSession, call: ContractCall, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const config = loadSettings().chain;
  if (!config) throw new CairnError('BAD_PARAMETERS', 'No chain yet: finish the setup (Home) or set a chain in Settings.');
  const account = call.from === 'vault' ? session.walletInfo().vault : session.walletInfo().eoa;
  if (!account) throw new CairnError('BAD_PARAMETERS', 'No address yet: finish the setup (Home).');
  // Refused before anything reaches the guardians: more ETH than the account holds.
  const { eth } = await readBalances(openChain(config), account);
  if (call.value > eth)
    throw new CairnError('BAD_PARAMETERS', `It holds only ${formatEther(eth)} ETH, less than the ${formatEther(call.value)} ETH to send with the call.`);
  if (call.from === 'eoa') return sendEoaTransaction(session, call, onRequest);
  let requestId = '';
  const ops = await openVaultOperations(session, config, (id) => {
    requestId = id;
    onRequest(id);
  });
  const { transactionHash, receipt } = await ops.submitter.submit({ to: call.to, data: call.data, value: call.value });
  if (requestId) session.appendJson('receipt', { requestId, txHash: transactionHash });
  return { transactionHash, blockNumber: receipt.blockNumber };
}

export type TypedDataSignature = { signer: Address; hash: Hex; signature: Hex };

/**
 * Asks the guardians to sign typed data as the vault (ERC-1271) or as the plain address; resolves with
 * a signature already checked the way a dapp will check it.
 */
export async function signTypedData(
  session: WalletSession,
  from: 'vault' | 'eoa',
  typed: { doc: TypedDataDocument; bytes: Uint8Array },
  onRequest: (requestId: string) => void,
): Promise<TypedDataSignature> {
  const config = loadSettings().chain;
  const info = session.walletInfo();
  const signer = from === 'vault' ? info.vault : info.eoa;
  if (!config || !signer) throw new CairnError('BAD_PARAMETERS', 'No chain or address yet: finish the setup (Home).');
  const definition = typed.doc as unknown as TypedDataDefinition;
  const hash = hashTypedData(definition);
  const request: SigningRequest =
    from === 'vault'
      ? { type: 'vault-typed-data', chainId: BigInt(config.chainId), vault: signer, typedData: typed.bytes }
      : { type: 'eoa-typed-data', typedData: typed.bytes };
  const { requestId, signature } = await session.guardian.requestSignature(request);
  onRequest(requestId);
  const bytes = (await withTimeout(signature, SIGNATURE_WAIT_MS)).signature;
  if (from === 'vault') {
    const sig = encodeContractSignature(bytes);
    const answer = await openChain(config).publicClient.readContract({
      address: signer,
      abi: cairnVaultAbi,
      functionName: 'isValidSignature',
      args: [hash, sig],
    });
    if (answer !== ERC1271_MAGIC) throw new CairnError('BAD_SIGNATURE', 'The vault does not accept this signature (is it deployed on this chain?)');
    return { signer, hash, signature: sig };
  }
  if (bytes.length !== 65) throw new CairnError('MALFORMED', 'The guardians returned a signature of the wrong size');
  // r ‖ s ‖ v with v = 27 + yParity, the form dapps and ecrecover take.
  const sig = bytesToHex(Uint8Array.of(...bytes.subarray(0, 64), 27 + bytes[64]!));
  if (getAddress(await recoverTypedDataAddress({ ...definition, signature: sig })) !== getAddress(signer))
    throw new CairnError('BAD_SIGNATURE', 'The signature does not come from the wallet’s plain address');
  return { signer, hash, signature: sig };
}

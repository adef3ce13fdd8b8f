/**
 * A payment from the plain address (EOA): the guardians sign an EIP-1559 transaction with threshold
 * ECDSA (DKLs23, through the facade's `requestSignature` — the core routes `eoa-transaction` requests
 * to it). The request carries every field of the transaction, so each guardian sees exactly what the
 * chain will execute; the app checks the digest and the recovered address, then broadcasts it.
 */
import {
  bytesToHex,
  encodeFunctionData,
  erc20Abi,
  formatEther,
  formatUnits,
  getAddress,
  hexToBytes,
  keccak256,
  parseEther,
  parseUnits,
  recoverAddress,
  serializeTransaction,
  type Address,
  type Hex,
  type TransactionSerializableEIP1559,
} from 'viem';
import { CairnError, signingDigest, type SigningRequest } from '../../core/index.ts';
import { openChain, readBalances, readTokenInfo, tokenOf } from './chain.ts';
import type { RequestState } from './sessionSnapshot.ts';
import { loadSettings } from './settings.ts';
import type { Payment, PaymentResult } from './sendPayment.ts';
import { submissionFailureText } from './submissionFailure.ts';
import type { WalletSession } from './walletSession.ts';

const SIGNATURE_WAIT_MS = 180_000;

export async function sendFromEoa(session: WalletSession, p: Payment, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const config = loadSettings().chain;
  const eoa = session.walletInfo().eoa;
  if (!config || !eoa) throw new CairnError('BAD_PARAMETERS', 'No chain or key yet: finish the setup (Home) or set a chain in Settings.');
  const chain = openChain(config);
  const held = await readBalances(chain, eoa);
  const token = p.asset === 'ETH' ? undefined : { address: tokenOf(config), ...(await readTokenInfo(chain)) };
  const units = token ? parseUnits(p.amount, token.decimals) : parseEther(p.amount);
  // Refused before anything reaches the guardians: more than the plain address holds.
  if (!token && units > held.eth)
    throw new CairnError('BAD_PARAMETERS', `The plain address holds only ${formatEther(held.eth)} ETH, less than ${p.amount} ETH.`);
  if (token && units > (held.token ?? 0n))
    throw new CairnError(
      'BAD_PARAMETERS',
      `The plain address holds only ${formatUnits(held.token ?? 0n, token.decimals)} ${token.symbol}, less than ${p.amount} ${token.symbol}.`,
    );
  const call = token
    ? { to: token.address, value: 0n, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [p.to, units] }) }
    : { to: p.to, value: units, data: '0x' as Hex };
  return sendEoaTransaction(session, call, onRequest);
}

/**
 * Any call from the plain address (a payment, a contract call): the guardians sign its EIP-1559
 * transaction. `nonce` is for a retry (`retryEoaTransaction`); otherwise the next pending one.
 */
export async function sendEoaTransaction(
  session: WalletSession,
  call: { to: Address; value: bigint; data: Hex; nonce?: number },
  onRequest: (requestId: string) => void,
): Promise<PaymentResult> {
  const config = loadSettings().chain;
  const eoa = session.walletInfo().eoa;
  if (!config || !eoa) throw new CairnError('BAD_PARAMETERS', 'No chain or key yet: finish the setup (Home) or set a chain in Settings.');
  const { publicClient } = openChain(config);
  const [nonce, fees, gas] = await Promise.all([
    call.nonce ?? publicClient.getTransactionCount({ address: eoa, blockTag: 'pending' }),
    publicClient.estimateFeesPerGas(),
    publicClient.estimateGas({ account: eoa, ...call }),
  ]);
  const tx: TransactionSerializableEIP1559 = {
    type: 'eip1559',
    chainId: config.chainId,
    nonce,
    to: call.to,
    value: call.value,
    data: call.data,
    gas: (gas * 12n) / 10n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  };
  const request: SigningRequest = {
    type: 'eoa-transaction',
    chainId: BigInt(config.chainId),
    nonce: BigInt(nonce),
    to: call.to,
    value: call.value,
    data: hexToBytes(call.data),
    gas: tx.gas!,
    maxFeePerGas: tx.maxFeePerGas!,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas!,
  };
  const digest = keccak256(serializeTransaction(tx));
  if (bytesToHex(signingDigest(request)) !== digest)
    throw new CairnError('BAD_PARAMETERS', 'The request the guardians would see does not match the transaction');
  const { requestId, signature } = await session.guardian.requestSignature(request);
  onRequest(requestId);
  const sig = await withTimeout(signature, SIGNATURE_WAIT_MS);
  const bytes = sig.signature;
  if (bytes.length !== 65) throw new CairnError('MALFORMED', 'The guardians returned a signature of the wrong size');
  const rsv = { r: bytesToHex(bytes.subarray(0, 32)), s: bytesToHex(bytes.subarray(32, 64)), yParity: bytes[64]! };
  if (getAddress(await recoverAddress({ hash: digest, signature: rsv })) !== getAddress(eoa))
    throw new CairnError('BAD_SIGNATURE', 'The signature does not come from the wallet’s plain address; nothing was sent');
  // The hash is known before the broadcast: even if the node's answer is lost, the log records which
  // transaction this was, so a later retry can check on chain whether it went through after all.
  const serializedTransaction = serializeTransaction(tx, rsv);
  const transactionHash = keccak256(serializedTransaction);
  try {
    const accepted = await publicClient.sendRawTransaction({ serializedTransaction });
    if (accepted.toLowerCase() !== transactionHash) throw new CairnError('MALFORMED', 'The network node answered with another transaction hash.');
    const receipt = await publicClient.waitForTransactionReceipt({ hash: transactionHash });
    if (receipt.status !== 'success') throw new CairnError('ABORTED', 'The transaction reverted on chain.');
    session.appendJson('receipt', { requestId, txHash: transactionHash });
    return { transactionHash, blockNumber: receipt.blockNumber };
  } catch (err) {
    // Signed but not done: everyone sees why, and any guardian may retry or close it (Requests).
    const cause = submissionFailureText(err, 'plain address');
    session.guardian.reportSubmissionFailed(requestId, `The guardians signed it, but sending it failed: ${cause}`);
    session.appendJson('receipt', { requestId, txHash: transactionHash }); // reverted, lost or refused: the hash to look up
    throw new CairnError('ABORTED', `Sending it failed: ${cause}`, { cause: err });
  }
}

/**
 * Asks the guardians again for a plain-address transaction whose sending failed, and closes the old
 * request as retried once the new one is in the log. Why the old signature can't also go through: the
 * retry takes max(the address's mined transaction count, the old nonce). If the old transaction was
 * mined (and reverted), its nonce is used and the retry takes the next one. If it never was (refused,
 * or still waiting in a mempool), the retry reuses exactly its nonce, so at most one of the two is
 * ever mined.
 */
export async function retryEoaTransaction(session: WalletSession, failed: RequestState, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const r = failed.request;
  if (r.type !== 'eoa-transaction') throw new CairnError('UNSUPPORTED', 'Only a transaction from the plain address can be retried here.');
  const config = loadSettings().chain;
  const eoa = session.walletInfo().eoa;
  if (!config || !eoa) throw new CairnError('BAD_PARAMETERS', 'No chain or key yet: finish the setup (Home) or set a chain in Settings.');
  if (BigInt(config.chainId) !== r.chainId) throw new CairnError('BAD_PARAMETERS', 'This payment was for another network; ask again from Send.');
  const { publicClient } = openChain(config);
  const mined = await publicClient.getTransactionCount({ address: eoa, blockTag: 'latest' });
  // Its nonce is used: if by the old transaction itself, and it succeeded (the report was wrong: the wait for its
  // receipt failed, or the node lied), a retry at the next nonce would pay a second time. The log's receipt says which.
  // Without the hash (a log from before it was always recorded) there is no telling: refuse rather than risk paying twice.
  if (mined > Number(r.nonce) && !failed.txHash)
    throw new CairnError(
      'BAD_PARAMETERS',
      'Its payment number was used meanwhile and this device can’t tell whether it went through. Check the plain address’s history, then close it or ask again from Send.',
    );
  if (mined > Number(r.nonce) && failed.txHash) {
    const hash = failed.txHash;
    const [sent, receipt] = await Promise.all([publicClient.getTransaction({ hash }), publicClient.getTransactionReceipt({ hash })]).catch(() => []);
    if (sent && receipt && getAddress(sent.from) === getAddress(eoa) && BigInt(sent.nonce) === r.nonce && receipt.status === 'success')
      throw new CairnError('BAD_PARAMETERS', `It went through after all (transaction ${hash}): nothing to retry. Close it instead.`);
  }
  const nonce = Math.max(mined, Number(r.nonce));
  return sendEoaTransaction(session, { to: r.to, value: r.value, data: bytesToHex(r.data), nonce }, (id) => {
    try {
      session.guardian.closeFailed(failed.id, 'retried');
    } catch {
      // Someone closed it meanwhile: the new request stands on its own.
    }
    onRequest(id);
  });
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new CairnError('ABORTED', 'The guardians did not sign for the plain address in time. Are their devices online with Cairn open? Ask again to retry.'),
        ),
      ms,
    );
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

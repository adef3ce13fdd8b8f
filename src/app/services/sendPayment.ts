/**
 * A payment from the vault: the request goes into the log as a user operation, the guardians
 * approve it, t of them sign (FROST), the bundler carries it (the vault pays the gas), and a
 * receipt entry tells everyone the transaction hash. An amount above the balance is refused before
 * anything reaches the guardians. If sending the signed operation fails (its call reverts, the vault
 * can't pay the fee, the bundler refuses it), the request ends as failed for everyone with the cause
 * in plain words, and any guardian may close it or retry it (`retryVaultPayment`).
 */
import { bytesToHex, encodeFunctionData, erc20Abi, getAddress, formatUnits, parseEther, parseUnits, type Address, type Hex } from 'viem';
import { entryPoint08Abi } from 'viem/account-abstraction';
import { CairnError } from '../../core/errors.ts';
import { userOperationHash } from '../../core/index.ts';
import type { SubmittedCall } from '../../chain/callSubmitter.ts';
import { readBalances, readTokenInfo, tokenOf } from './chain.ts';
import { loadSettings } from './settings.ts';
import { submissionFailureText } from './submissionFailure.ts';
import type { RequestState } from './sessionSnapshot.ts';
import { openVaultOperations, type VaultOperations } from './vaultOperations.ts';
import type { WalletSession } from './walletSession.ts';

export type Payment = { asset: 'ETH' | 'CTT'; to: Address; amount: string };
export type PaymentResult = { transactionHash: Hex; blockNumber: bigint };

async function openOperations(session: WalletSession, onRequest: (requestId: string) => void) {
  const config = loadSettings().chain;
  const vault = session.walletInfo().vault;
  if (!config || !vault) throw new CairnError('BAD_PARAMETERS', 'No chain or vault yet: finish the setup (Home) or set a chain in Settings.');
  let requestId = '';
  const ops = await openVaultOperations(session, config, (id) => {
    requestId = id;
    onRequest(id);
  });
  return { config, vault, ops, requestId: () => requestId };
}

export async function sendFromVault(session: WalletSession, p: Payment, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const { config, vault, ops, requestId } = await openOperations(session, onRequest);
  const balances = await readBalances(ops.chain, vault);
  let call: SubmittedCall;
  if (p.asset === 'ETH') {
    const value = parseEther(p.amount);
    if (value > balances.eth) throw new CairnError('BAD_PARAMETERS', `The vault holds only ${formatUnits(balances.eth, 18)} ETH, less than ${p.amount} ETH.`);
    call = { to: p.to, value, data: '0x' };
  } else {
    const token = tokenOf(config);
    const { symbol, decimals } = await readTokenInfo(ops.chain);
    const amount = parseUnits(p.amount, decimals);
    if (amount > (balances.token ?? 0n))
      throw new CairnError('BAD_PARAMETERS', `The vault holds only ${formatUnits(balances.token ?? 0n, decimals)} ${symbol}, less than ${p.amount} ${symbol}.`);
    call = { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [p.to, amount] }) };
  }
  return submitReporting(session, ops, call, requestId);
}

/**
 * Asks the guardians again for the call of a vault payment whose sending failed, and closes the old
 * request as retried (any guardian may). The retry is a new request the guardians approve again as
 * people: their rules see it afresh.
 *
 * Why the old signature can't pay a second time: both carry the vault's EntryPoint nonce, and the
 * EntryPoint runs at most one operation per nonce. If the failed operation ran on chain (its call
 * reverted), its nonce is used and its signature is dead. If it never got on chain (the bundler refused
 * it), the EntryPoint's next nonce is still the old one, and the retry uses exactly that nonce — never a
 * higher one — so whichever of the two lands first makes the other invalid. Hence `max(next, old)`.
 */
export async function retryVaultPayment(session: WalletSession, failed: RequestState, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const r = failed.request;
  if (r.type !== 'vault-user-operation') throw new CairnError('UNSUPPORTED', 'Only a payment from the vault can be retried here; ask again from Send.');
  // The old request is closed as retried once the new one is in the log (not before: if preparing the
  // new one fails, the old one stays open to retry or close).
  const { ops, requestId } = await openOperations(session, (id) => {
    try {
      session.guardian.closeFailed(failed.id, 'retried');
    } catch {
      // Someone closed it meanwhile: the new request stands on its own.
    }
    onRequest(id);
  });
  if (getAddress(ops.vault) !== getAddress(r.vault)) throw new CairnError('BAD_PARAMETERS', 'This payment was from another vault; ask again from Send.');
  let nonce = r.nonce;
  const next = await ops.nextNonce();
  if (next > nonce) {
    // Its nonce is used: by the old operation itself (reverted — or successful, and the report was wrong: the
    // requester timed out waiting, or was lied to) or by another one. A retry takes the next nonce, so it would
    // pay a second time: look the old operation up first.
    const hash = bytesToHex(userOperationHash(r));
    const events = await ops.chain.publicClient
      .getContractEvents({ address: r.entryPoint, abi: entryPoint08Abi, eventName: 'UserOperationEvent', args: { userOpHash: hash }, fromBlock: 0n })
      .catch((err: unknown) => {
        throw new CairnError('ABORTED', `Couldn't check on chain whether it went through after all, so it was not asked again: ${submissionFailureText(err)}`, {
          cause: err,
        });
      });
    if (events.some((e) => e.args.success))
      throw new CairnError('BAD_PARAMETERS', 'It went through after all (the network shows it paid): nothing to retry. Close it instead.');
    nonce = next;
  }
  return submitReporting(session, ops, { to: r.to, value: r.value, data: bytesToHex(r.data), nonce }, requestId);
}

/** Submits; if the guardians signed it but sending failed, tells everyone why (the request ends as failed). */
async function submitReporting(session: WalletSession, ops: VaultOperations, call: SubmittedCall, requestId: () => string): Promise<PaymentResult> {
  try {
    const { transactionHash, receipt } = await ops.submitter.submit(call);
    if (requestId()) session.appendJson('receipt', { requestId: requestId(), txHash: transactionHash });
    return { transactionHash, blockNumber: receipt.blockNumber };
  } catch (err) {
    const id = requestId();
    const signed = id && session.guardian.requests().some((v) => v.requestId === id && v.result);
    // Ours (the request was denied, withdrawn, expired…) say what happened; the chain's and the bundler's
    // refusals while preparing the operation (before any guardian saw it) are put in words here.
    if (!signed && err instanceof CairnError) throw err;
    if (!signed) {
      const what = id ? 'It stopped before the guardians signed it' : 'It could not be prepared, so nothing was asked';
      throw new CairnError('ABORTED', `${what}: ${submissionFailureText(err)}`, { cause: err });
    }
    const cause = submissionFailureText(err);
    session.guardian.reportSubmissionFailed(id, `The guardians signed it, but sending it failed: ${cause}`);
    throw new CairnError('ABORTED', `Sending it failed: ${cause}`, { cause: err });
  }
}

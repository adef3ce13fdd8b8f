/**
 * Why sending a signed payment (from the vault or the plain address) failed, in plain words for everyone's Requests page (the text goes
 * into the log). Read from the error's whole chain — viem's bundler errors, our own `CairnError` with
 * the on-chain revert data — by the marks each failure leaves: the EntryPoint's `AAxx` codes, the
 * test token's and the vault's custom errors.
 */
import { toFunctionSelector } from 'viem';

const INSUFFICIENT_BALANCE = toFunctionSelector('InsufficientBalance()').slice(2);
const INSUFFICIENT_ALLOWANCE = toFunctionSelector('InsufficientAllowance()').slice(2);

/** Every message, detail and cause in an error chain, as one lower-case text. */
function textOf(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 8; depth++) {
    if (typeof e !== 'object') {
      parts.push(String(e));
      break;
    }
    const o = e as { message?: unknown; details?: unknown; shortMessage?: unknown; metaMessages?: unknown; cause?: unknown };
    for (const v of [o.shortMessage, o.message, o.details, o.metaMessages]) if (v !== undefined) parts.push(Array.isArray(v) ? v.join(' ') : String(v));
    e = o.cause;
  }
  return parts.join(' ').toLowerCase();
}

/** Who pays and sends: the vault (a user operation, through the bundler) or the plain address (a transaction, through the RPC). */
export type Sender = 'vault' | 'plain address';

export function submissionFailureText(err: unknown, sender: Sender = 'vault'): string {
  const t = textOf(err);
  const who = `the ${sender}`;
  if (t.includes(INSUFFICIENT_BALANCE) || t.includes('insufficientbalance'))
    return `the token contract refused the transfer because ${who} no longer holds that much of the token. Add funds, then retry.`;
  if (t.includes(INSUFFICIENT_ALLOWANCE) || t.includes('insufficientallowance'))
    return `the token contract refused it: ${who} was not allowed to move that much.`;
  if (t.includes('aa21') || t.includes("didn't pay prefund") || t.includes('insufficient funds'))
    return `${who} doesn't hold enough ETH to pay the network fee. Add ETH to ${who}, then retry.`;
  if (t.includes('aa25') || /invalid account nonce|nonce too low|nonce has already been used/.test(t))
    return `another payment from ${who} went through first in its place. Retry to ask again.`;
  if (t.includes('aa22') || t.includes('expired')) return "the guardians' signature expired before it could be sent. Retry to ask again.";
  if (t.includes('call failed') || t.includes('callfailed') || t.includes('reverted') || t.includes('revert'))
    return 'the contract it calls refused it (the call reverted). Check the recipient and the amount, then retry or close it.';
  const service = sender === 'vault' ? 'the service that sends vault payments (the bundler)' : 'the network node in Settings (the RPC URL)';
  const where = sender === 'vault' ? 'the bundler' : 'the RPC URL';
  if (t.includes('fetch') || t.includes('network') || t.includes('timeout') || t.includes('timed out'))
    return `${service} couldn't be reached. Check the connection and ${where} in Settings, then retry.`;
  return `${service} refused it. Retry, or close it.`;
}

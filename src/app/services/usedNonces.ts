/**
 * A payment whose nonce another payment already used can never go through: it must fail for
 * everyone, with a plain reason, before anyone approves it (issue 16; the facade's `staleReason`,
 * `src/protocol/requestLifecycle.ts`). Read from the log alone, so every device agrees: a nonce is
 * used once a request from the same account with that nonce or a higher one was approved by t
 * guardians and has a `receipt` entry. Requiring t approvals means one guardian can't fail the
 * others' payments with a made-up receipt.
 */
import { getAddress } from 'viem';
import type { SigningRequest } from '../../core/index.ts';
import type { LogEntry } from '../../net/requestLog.ts';
import { requestVotes } from '../../protocol/requestLifecycle.ts';
import { decodeRequestBody } from '../../protocol/signingRequestCodec.ts';
import { receiptsOf } from './appLogEntries.ts';

/** The account a request spends from and its nonce, for requests that carry one. */
function slotOf(request: SigningRequest): { account: string; nonce: bigint } | undefined {
  if (request.type === 'vault-execute') return { account: `vault:${request.chainId}:${getAddress(request.vault)}`, nonce: request.nonce };
  if (request.type === 'eoa-transaction') return { account: `eoa:${request.chainId}`, nonce: request.nonce };
  // The EntryPoint's nonce for the vault (key 0 in its upper 192 bits, as the app's operations use).
  if (request.type === 'vault-user-operation') return { account: `vault-op:${request.chainId}:${getAddress(request.vault)}`, nonce: request.nonce };
  return undefined;
}

/** Highest nonce per account used by a sent request that t guardians approved. */
export function usedNonces(entries: readonly LogEntry[], members: readonly string[], threshold: number): Map<string, { nonce: bigint; requestId: string }> {
  const used = new Map<string, { nonce: bigint; requestId: string }>();
  const receipts = receiptsOf(entries);
  for (const e of entries) {
    if (e.kind !== 'request' || !receipts.has(e.id)) continue;
    try {
      const slot = slotOf(decodeRequestBody(e.body).request);
      if (!slot || requestVotes(entries, e.id, members).approvers.length < threshold) continue;
      const before = used.get(slot.account);
      if (!before || slot.nonce > before.nonce) used.set(slot.account, { nonce: slot.nonce, requestId: e.id });
    } catch {
      continue; // the log reports unreadable entries
    }
  }
  return used;
}

/** Why `request` can no longer go through, or undefined. */
export function staleNonceReason(
  used: ReadonlyMap<string, { nonce: bigint; requestId: string }>,
  request: SigningRequest,
  requestId: string,
): string | undefined {
  const slot = slotOf(request);
  const taken = slot && used.get(slot.account);
  if (!slot || !taken || taken.requestId === requestId || slot.nonce > taken.nonce) return undefined;
  return 'Another payment from the same account was sent first in its place, so this one can no longer go through. Ask again.';
}

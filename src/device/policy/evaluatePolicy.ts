/**
 * Decides whether this device may co-sign a decoded spend request under its guardian's policy.
 * Pure: the clock is the `now` argument. Rules run hard ones first (deny-list, allow-list, a single
 * amount over the daily limit), then the ones time can fix (rolling daily limit, time lock,
 * working hours). The answer names the first failing rule in plain words; `retryAt` is the
 * earliest time every rule would pass, when waiting can fix all of them.
 */
import { isAddress } from 'viem';
import { CairnError } from '../../core/errors.ts';
import { checkDailyLimit } from './checkDailyLimit.ts';
import { checkRecipientLists } from './checkRecipientLists.ts';
import { checkTimeLock } from './checkTimeLock.ts';
import { checkWorkingHours } from './checkWorkingHours.ts';
import type { GuardianPolicy, PolicyDecision, RuleDenial, SpendRecord, SpendRequest } from './types.ts';

export type EvaluatePolicyParameters = {
  policy: GuardianPolicy;
  request: SpendRequest;
  /** Spends this device co-signed (vault and EOA alike). */
  history: readonly SpendRecord[];
  /** The injected clock (ms since epoch). */
  now: number;
};

/** Every rule that refuses the request at time `now`, in evaluation order. */
function denialsAt(policy: GuardianPolicy, request: SpendRequest, history: readonly SpendRecord[], now: number): RuleDenial[] {
  return [
    checkRecipientLists(policy, request),
    checkDailyLimit(policy, request, history, now),
    checkTimeLock(policy, request, now),
    checkWorkingHours(policy, now),
  ].filter((d): d is RuleDenial => d !== undefined);
}

function checkRequest(request: SpendRequest): void {
  const bad = (what: string) => new CairnError('BAD_PARAMETERS', `Spend request ${what}`);
  if (request.kind !== 'vault' && request.kind !== 'eoa') throw bad('has an unknown kind');
  if (typeof request.amount !== 'bigint' || request.amount < 0n) throw bad('has a negative or non-integer amount');
  if (typeof request.to !== 'string' || !isAddress(request.to, { strict: false })) throw bad('has an invalid recipient');
  if (!Number.isSafeInteger(request.createdAt)) throw bad('has an invalid creation time');
  if (request.seenAt !== undefined && !Number.isSafeInteger(request.seenAt)) throw bad('has an invalid first-seen time');
  if (request.asset !== 'ETH' && !isAddress(request.asset?.address ?? '', { strict: false })) throw bad('has an invalid token');
}

/** At most this many re-evaluations when looking for a time that satisfies every rule at once. */
const MAX_RETRY_STEPS = 32;

export function evaluatePolicy({ policy, request, history, now }: EvaluatePolicyParameters): PolicyDecision {
  checkRequest(request);
  const denials = denialsAt(policy, request, history, now);
  const first = denials[0];
  if (!first) return { allowed: true };
  const decision = { allowed: false as const, rule: first.rule, message: first.message };

  // Waiting for one rule may run into another (a time lock ending outside working hours):
  // step to the latest retryAt until all pass, or one says time cannot help.
  let current = denials;
  let at = now;
  for (let step = 0; step < MAX_RETRY_STEPS; step++) {
    if (current.some((d) => d.retryAt === undefined)) return decision;
    const next = Math.max(...current.map((d) => d.retryAt!));
    if (next <= at) return decision; // no progress: don't promise a time
    at = next;
    current = denialsAt(policy, request, history, at);
    if (!current.length) return { ...decision, retryAt: at };
  }
  return decision;
}

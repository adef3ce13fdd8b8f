/**
 * Time locks: a request above a threshold amount waits `delayHours` after it was created before
 * this device co-signs. Counted from the later of `createdAt` and `seenAt`, so backdating a request
 * does not shorten the wait. With several locks on one asset, the longest applicable one holds.
 */
import { HOUR_MS, formatAmount, formatDuration, sameAsset } from './assets.ts';
import type { GuardianPolicy, RuleDenial, SpendRequest } from './types.ts';

export function checkTimeLock(policy: GuardianPolicy, request: SpendRequest, now: number): RuleDenial | undefined {
  const applicable = policy.timeLocks.filter((l) => sameAsset(l.asset, request.asset) && request.amount > l.above);
  if (!applicable.length) return undefined;
  const lock = applicable.reduce((a, b) => (b.delayHours > a.delayHours ? b : a));
  const start = Math.max(request.createdAt, request.seenAt ?? request.createdAt);
  const readyAt = start + lock.delayHours * HOUR_MS;
  if (now >= readyAt) return undefined;
  return {
    rule: 'timeLock',
    message: `Requests over ${formatAmount(lock.above, lock.asset)} wait ${lock.delayHours} h before you co-sign: ${formatDuration(readyAt - now)} to go`,
    retryAt: readyAt,
  };
}

/**
 * Daily limit per asset over a **rolling 24-hour window**: the spends this device co-signed with
 * signedAt in (now − 24 h, now], plus this request, must not exceed the limit. Rolling rather than
 * calendar days: no time-zone or DST edge to game (a calendar day would allow 2× the limit across
 * midnight), and "when can I retry" has one clear answer: when enough old spends leave the window.
 */
import { DAY_MS, formatAmount, sameAsset } from './assets.ts';
import type { GuardianPolicy, RuleDenial, SpendRecord, SpendRequest } from './types.ts';

export function checkDailyLimit(policy: GuardianPolicy, request: SpendRequest, history: readonly SpendRecord[], now: number): RuleDenial | undefined {
  const limit = policy.dailyLimits.find((l) => sameAsset(l.asset, request.asset));
  if (!limit) return undefined;
  if (request.amount > limit.max)
    return {
      rule: 'dailyLimit',
      message: `${formatAmount(request.amount, limit.asset)} is more than your daily limit of ${formatAmount(limit.max, limit.asset)}`,
    };
  // Spends still inside the window, oldest first. A request already co-signed is not counted twice.
  const inWindow = history
    .filter((s) => sameAsset(s.asset, request.asset) && s.requestId !== request.requestId && s.signedAt > now - DAY_MS)
    .sort((a, b) => a.signedAt - b.signedAt);
  let used = inWindow.reduce((sum, s) => sum + s.amount, 0n);
  if (used + request.amount <= limit.max) return undefined;
  const message = `Over your daily limit of ${formatAmount(limit.max, limit.asset)}: ${formatAmount(used, limit.asset)} already sent in the last 24 hours`;
  // Earliest time enough of the oldest spends have left the window (a spend at s counts until s + 24 h).
  for (const s of inWindow) {
    used -= s.amount;
    if (used + request.amount <= limit.max) return { rule: 'dailyLimit', message, retryAt: s.signedAt + DAY_MS };
  }
  return { rule: 'dailyLimit', message };
}

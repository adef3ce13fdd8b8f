/**
 * The key-change delay (like a guardian delay in other wallets): a refresh, reshare or replacement
 * waits `keyChangeDelayHours` after it was proposed before this device approves it, so a guardian
 * whose devices were taken has time to notice and deny. Counted from the later of the proposal's
 * timestamp and when this device first saw it: backdating a proposal does not shorten the wait.
 */
import { HOUR_MS, formatDuration } from './assets.ts';
import type { GuardianPolicy, RuleDenial } from './types.ts';

export function checkKeyChangeDelay(
  policy: GuardianPolicy | undefined,
  proposal: { proposedAt: number; seenAt?: number },
  now: number,
): RuleDenial | undefined {
  const hours = policy?.keyChangeDelayHours ?? 0;
  if (!hours) return undefined;
  const readyAt = Math.max(proposal.proposedAt, proposal.seenAt ?? proposal.proposedAt) + hours * HOUR_MS;
  if (now >= readyAt) return undefined;
  return {
    rule: 'keyChangeDelay',
    message: `Your rule: changes to the guardians wait ${hours} h before you approve them: ${formatDuration(readyAt - now)} to go`,
    retryAt: readyAt,
  };
}

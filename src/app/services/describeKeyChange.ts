/**
 * A key-change proposal in plain words, for the people who approve it: who proposes it, who is
 * added (and who invited them), who is removed, who stands in from a paper backup, and how many must
 * approve before and after. Warns when the devices one guardian invited (with that guardian) could
 * sign on their own afterwards.
 */
import type { PublicPackage } from '../../core/index.ts';
import { toHex } from '../../device/byteCodec.ts';
import { soleControllers, type KeyChangeStatus } from '../../protocol/keyChangeApproval.ts';

export type KeyChangeView = {
  id: string;
  /** "Ann proposes: add Ann's tablet (invited by Ann), remove Raj's phone" */
  summary: string;
  /** "any 2 of 3 → any 2 of 3" */
  quorum: string;
  warning?: string;
  /** "1 of 2 approvals — waiting for 1 more", or why it ended. */
  progress: string;
  open: boolean;
};

export function describeKeyChange(s: KeyChangeStatus, pub: PublicPackage, name: (k: string) => string, inviters: ReadonlyMap<string, string>): KeyChangeView {
  const roster = pub.roster.deviceKeys.map(toHex);
  const before = `any ${pub.threshold} of ${roster.length}`;
  let summary: string;
  let quorum: string;
  if (s.proposal.kind === 'refresh') {
    summary = `${name(s.proposer)} proposes new shares for every guardian (same key, same addresses; old shares and paper backups stop working)`;
    quorum = `${before} → ${before}`;
  } else {
    const p = s.proposal;
    const added = p.newHolders
      .filter((k) => !roster.includes(k))
      .map((k) => `add ${name(k)}${inviters.get(k) ? ` (invited by ${name(inviters.get(k)!)})` : ''}`);
    const removed = roster.filter((k) => !p.newHolders.includes(k)).map((k) => `remove ${name(k)}`);
    const standIns = (p.actors ?? []).map((x) => `${name(x.device)} stands in for ${name(x.lost)} from a paper backup`);
    const parts = [...added, ...removed, ...standIns];
    summary = `${name(s.proposer)} proposes: ${parts.length ? parts.join(', ') : 'new shares for the same guardians'}`;
    quorum = `${before} → any ${p.newThreshold} of ${p.newHolders.length}`;
  }
  const sole = soleControllers(s.proposal, pub, inviters);
  const warning = sole.length ? `After this, the devices ${sole.map(name).join(' and ')} invited can sign on their own.` : undefined;
  const more = s.needed - s.approvers.length;
  const progress = {
    waiting: `${s.approvers.length} of ${s.needed} approvals — waiting for ${more} more`,
    approved: `${s.approvers.length} of ${s.needed} approvals — the guardians are making the new shares`,
    denied: 'Denied: too many guardians said no. Nothing changed.',
    withdrawn: `Withdrawn by ${name(s.proposer)}. Nothing changed.`,
    expired: 'Expired: not enough guardians approved in time. Nothing changed.',
    superseded: 'Set aside: another proposal for the same shares came first. Nothing changed.',
    failed: 'Failed while running (a guardian dropped out or sent something wrong). Nothing changed; propose it again when everyone is online.',
    refused: 'Refused: it names a device or backup the guardians could not check. Nothing changed.',
  }[s.state];
  return {
    id: s.id,
    summary: summary.charAt(0).toUpperCase() + summary.slice(1),
    quorum,
    warning,
    progress,
    open: s.state === 'waiting' || s.state === 'approved',
  };
}

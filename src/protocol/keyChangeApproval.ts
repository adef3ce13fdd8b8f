/**
 * Key changes are requests that people approve (docs/invariants.md, invariant 9: no device deals or
 * forgets a share on one guardian's word). An `epoch-announcement` entry is a *proposal*; it runs
 * only once `t` holders of its epoch have approved that exact proposal in signed log entries:
 *
 *   - the proposer's announcement is its approval;
 *   - an `approval` entry (the same bytes as a payment approval) naming the proposal's entry id is a
 *     holder's approval; a device that deals for a lost guardian from a verified paper backup (an
 *     acting dealer the proposal names) approves in that guardian's place;
 *   - a `denial` entry naming it is a denial; the proposer's own denial withdraws it;
 *   - it expires `KEY_CHANGE_TTL_MS` after the proposer's timestamp.
 *
 * It closes for everyone as denied once approval can no longer be reached (n − t + 1 denials),
 * withdrawn, expired, failed (a participant's `blame` entry for its run: the run aborted), or refused
 * (its bytes name devices or entries that don't check out — `refused`, decided by the caller). Of the open proposals for one epoch, the one with the lowest entry id wins
 * and the others are superseded: a rule on the entries' bytes only, never on log order, so every
 * device picks the same one. Everything here is a pure function of the log entries.
 */
import type { PublicPackage } from '../core/index.ts';
import { toHex } from '../device/byteCodec.ts';
import type { LogEntry } from '../net/requestLog.ts';
import { decodeEpochAnnouncement, EPOCH_ANNOUNCEMENT_KIND, type EpochAnnouncement } from './epochAnnouncement.ts';
import { BLAME_LOG_KIND, decodeBlame } from './blame.ts';
import { decodeApproval, decodeDenial } from './signingRequestCodec.ts';

/** How long a key change stays open for approval (a week, like payment requests). */
export const KEY_CHANGE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type KeyChangeState = 'waiting' | 'approved' | 'denied' | 'withdrawn' | 'expired' | 'superseded' | 'failed' | 'refused';

export type KeyChangeStatus = {
  id: string;
  proposer: string;
  proposal: EpochAnnouncement;
  /** Holders whose approval counts (the proposer first), in key order after it. */
  approvers: string[];
  /** Holders who denied, with their reasons. */
  denials: Map<string, string>;
  needed: number;
  state: KeyChangeState;
  /** The winning proposal's id when this one is superseded. */
  supersededBy?: string;
  /** The proposer's timestamp (its own clock: a key-change delay also counts from when a device saw it). */
  proposedAt: number;
  expiresAt: number;
};

type Proposal = { entry: LogEntry; proposal: EpochAnnouncement };

/** Every readable proposal for `epoch` in the log. */
function proposalsFor(entries: readonly LogEntry[], epoch: number): Proposal[] {
  const out: Proposal[] = [];
  for (const entry of entries) {
    if (entry.kind !== EPOCH_ANNOUNCEMENT_KIND) continue;
    try {
      const proposal = decodeEpochAnnouncement(entry.body);
      if (proposal.epoch === epoch) out.push({ entry, proposal });
    } catch {
      continue; // reported where it is first decoded
    }
  }
  return out;
}

/** The approval / denial votes in the log, by proposal id → author → vote. */
function votes(entries: readonly LogEntry[]): Map<string, Map<string, { approve: true } | { approve: false; reason: string }>> {
  const out = new Map<string, Map<string, { approve: true } | { approve: false; reason: string }>>();
  const put = (id: string, author: string, v: { approve: true } | { approve: false; reason: string }) => {
    const m = out.get(id) ?? new Map();
    if (!m.has(author) || !v.approve) m.set(author, v); // a denial after an approval stands
    out.set(id, m);
  };
  for (const e of entries) {
    try {
      if (e.kind === 'approval') put(decodeApproval(e.body), e.author, { approve: true });
      else if (e.kind === 'denial') {
        const d = decodeDenial(e.body);
        put(d.requestId, e.author, { approve: false, reason: d.reason });
      }
    } catch {
      continue;
    }
  }
  return out;
}

/** Proposal id → authors of `blame` entries for its refresh / reshare run. */
function failedRuns(entries: readonly LogEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of entries) {
    if (e.kind !== BLAME_LOG_KIND) continue;
    try {
      const b = decodeBlame(e.body);
      if ((b.protocol === 'refresh' || b.protocol === 'reshare') && b.requestId.length === 32)
        out.set(toHex(b.requestId), [...(out.get(toHex(b.requestId)) ?? []), e.author]);
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * The status of every proposal for `previous.epoch` (the epoch they would change). `now` decides
 * expiry; the other states depend only on the entries.
 */
export function keyChangeStatuses(
  entries: readonly LogEntry[],
  previous: PublicPackage,
  now: number,
  refused: ReadonlySet<string> = new Set(),
): KeyChangeStatus[] {
  const holders = previous.roster.deviceKeys.map(toHex);
  const t = previous.threshold;
  const n = holders.length;
  const allVotes = votes(entries);
  const failed = failedRuns(entries);
  const statuses = proposalsFor(entries, previous.epoch)
    .filter((x) => holders.includes(x.entry.author))
    .map(({ entry, proposal }): KeyChangeStatus => {
      // A device acting for a lost guardian (proven by its paper backup) votes as that guardian.
      const actingFor = new Map(proposal.kind === 'reshare' ? (proposal.actors ?? []).map((x) => [x.device, x.lost]) : []);
      const approvers = [entry.author];
      const denials = new Map<string, string>();
      for (const [author, v] of allVotes.get(entry.id) ?? []) {
        const as = holders.includes(author) ? author : actingFor.get(author);
        if (!as) continue;
        if (!v.approve) {
          denials.set(as, v.reason);
          const i = approvers.indexOf(as);
          if (i >= 0) approvers.splice(i, 1);
        } else if (!approvers.includes(as) && !denials.has(as)) approvers.push(as);
      }
      const expiresAt = entry.at + KEY_CHANGE_TTL_MS;
      const participants = [...holders, ...(proposal.kind === 'reshare' ? [...proposal.newHolders, ...actingFor.keys()] : [])];
      const state: KeyChangeState = refused.has(entry.id)
        ? 'refused'
        : (failed.get(entry.id) ?? []).some((k) => participants.includes(k))
          ? 'failed'
          : denials.has(entry.author)
            ? 'withdrawn'
            : denials.size >= n - t + 1
              ? 'denied'
              : now > expiresAt
                ? 'expired'
                : approvers.length >= t
                  ? 'approved'
                  : 'waiting';
      // The proposer first (while it still approves), then the others in key order.
      const ordered = [...approvers.filter((k) => k === entry.author), ...approvers.filter((k) => k !== entry.author).sort()];
      return {
        id: entry.id,
        proposer: entry.author,
        proposal,
        approvers: ordered,
        denials,
        needed: t,
        state,
        proposedAt: entry.at,
        expiresAt,
      };
    });
  // Among the proposals still open (waiting or approved), the lowest entry id wins.
  const open = statuses.filter((s) => s.state === 'waiting' || s.state === 'approved').sort((a, b) => (a.id < b.id ? -1 : 1));
  const winner = open[0];
  for (const s of open.slice(1)) {
    s.state = 'superseded';
    s.supersededBy = winner!.id;
  }
  return statuses;
}

/** The status of one proposal, or undefined if it is not a proposal for `previous.epoch` by a holder. */
export function keyChangeStatus(
  entries: readonly LogEntry[],
  previous: PublicPackage,
  id: string,
  now: number,
  refused?: ReadonlySet<string>,
): KeyChangeStatus | undefined {
  return keyChangeStatuses(entries, previous, now, refused).find((s) => s.id === id);
}

/**
 * Guardians whose invited devices (and themselves) would reach the new threshold on their own: one
 * person could then sign alone. `inviterOf` maps a device that joined with an add invite to the
 * holder who issued it.
 */
export function soleControllers(proposal: EpochAnnouncement, previous: PublicPackage, inviterOf: ReadonlyMap<string, string>): string[] {
  if (proposal.kind !== 'reshare') return [];
  const holders = previous.roster.deviceKeys.map(toHex);
  const out: string[] = [];
  for (const guardian of holders) {
    const theirs = proposal.newHolders.filter((k) => k === guardian || inviterOf.get(k) === guardian);
    const devicesInvitedByThem = theirs.some((k) => k !== guardian);
    if (devicesInvitedByThem && theirs.length >= proposal.newThreshold) out.push(guardian);
  }
  return out;
}

/**
 * A signing request's life, decided from the log alone (plus the clock for expiry), so every device
 * that sees the same entries shows the same end — the same vocabulary as key changes
 * (`keyChangeApproval.ts`, docs/key-changes.md):
 *
 *   - `waiting` for approvals, `approved` (t approvals: signing), `signed` (this device holds the signature);
 *   - `failed` — its nonce was used by another request (the app says so: `stale`), it was asked for
 *     shares that a key change has replaced since, or blame entries named
 *     so many guardians that fewer than t unblamed ones are left, or every allowed attempt failed;
 *   - `withdrawn` — the requester's own denial;
 *   - `denied` — n − t + 1 guardians denied it: approval can no longer be reached;
 *   - `expired` — `REQUEST_TTL_MS` after the requester's timestamp;
 *   - `failed` after signing, too — its requester (the device that submits it) reported that sending it
 *     failed (`submission-failed`, `submissionCodec.ts`); then any guardian may close it or retry it
 *     as a new request (`request-closed`), which every device shows the same way.
 *
 * A guardian's denial after its approval stands (its approval no longer counts), whatever order the
 * log delivered them in. An ended request is never approved or signed by an honest device.
 */
import { toHex } from '../device/byteCodec.ts';
import type { LogEntry } from '../net/requestLog.ts';
import { BLAME_LOG_KIND, decodeBlame } from './blame.ts';
import { decodeApproval, decodeDenial, decodeQuorum, QUORUM_LOG_KIND } from './signingRequestCodec.ts';
import { type CloseHow, decodeRequestClosed, decodeSubmissionFailed, REQUEST_CLOSED_LOG_KIND, SUBMISSION_FAILED_LOG_KIND } from './submissionCodec.ts';

/** The reason a withdrawal gives when its requester gives none. */
export const WITHDRAWN_BY_REQUESTER = 'Withdrawn by the person who asked';

/** How long a request stays open for approval (a week, like key changes). */
export const REQUEST_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type SigningRequestState = 'waiting' | 'approved' | 'signed' | 'denied' | 'withdrawn' | 'expired' | 'failed';

const ENDED: readonly SigningRequestState[] = ['signed', 'denied', 'withdrawn', 'expired', 'failed'];
export const hasEnded = (state: SigningRequestState): boolean => ENDED.includes(state);

/** What the log says about one request: votes (members only), blamed devices and signer-set announcements. */
export type RequestVotes = {
  /** Members who approved and did not deny, in log order. */
  approvers: string[];
  /** Members who denied, with their reasons. */
  denials: Map<string, string>;
  blamed: Set<string>;
  announced: { by: string; signers: string[] }[];
  /**
   * Members who reported that sending it failed, with the cause (the first report of each) and how
   * many members had approved it before the report, in log order (a report before t approvals is void), and the
   * first member's close after that report (a close written before it ends nothing in advance).
   */
  submissionFailures: Map<string, { reason: string; approvalsBefore: number; closed?: { by: string; how: CloseHow } }>;
  /** The first member's close of it, whenever written (a status counts only one after the requester's report). */
  closed?: { by: string; how: CloseHow };
};

export function requestVotes(entries: readonly LogEntry[], requestId: string, members: readonly string[]): RequestVotes {
  const approvals: string[] = [];
  const denials = new Map<string, string>();
  const blamed = new Set<string>();
  const announced: { by: string; signers: string[] }[] = [];
  const submissionFailures = new Map<string, { reason: string; approvalsBefore: number; closed?: { by: string; how: CloseHow } }>();
  const closes: { by: string; how: CloseHow }[] = [];
  for (const e of entries) {
    try {
      if (e.kind === 'approval' && decodeApproval(e.body) === requestId) approvals.push(e.author);
      else if (e.kind === 'denial') {
        const d = decodeDenial(e.body);
        if (d.requestId === requestId && !denials.has(e.author)) denials.set(e.author, d.reason);
      } else if (e.kind === QUORUM_LOG_KIND) {
        const q = decodeQuorum(e.body);
        if (q.requestId === requestId) announced.push({ by: e.author, signers: q.signers });
      } else if (e.kind === BLAME_LOG_KIND) {
        const b = decodeBlame(e.body);
        if ((b.protocol === 'frost-sign' || b.protocol === 'ecdsa-sign') && toHex(b.requestId) === requestId) for (const c of b.culprits) blamed.add(c);
      } else if (e.kind === SUBMISSION_FAILED_LOG_KIND) {
        const f = decodeSubmissionFailed(e.body);
        if (f.requestId === requestId && members.includes(e.author) && !submissionFailures.has(e.author))
          submissionFailures.set(e.author, { reason: f.reason, approvalsBefore: new Set(approvals.filter((k) => members.includes(k))).size });
      } else if (e.kind === REQUEST_CLOSED_LOG_KIND) {
        const c = decodeRequestClosed(e.body);
        if (c.requestId === requestId && members.includes(e.author)) {
          closes.push({ by: e.author, how: c.how });
          for (const f of submissionFailures.values()) f.closed ??= { by: e.author, how: c.how };
        }
      }
    } catch {
      continue; // unreadable entries are reported where they are first decoded
    }
  }
  for (const k of denials.keys()) if (!members.includes(k)) denials.delete(k);
  const approvers = [...new Set(approvals)].filter((k) => members.includes(k) && !denials.has(k));
  const closed = closes[0];
  return { approvers, denials, blamed, announced, submissionFailures, ...(closed ? { closed } : {}) };
}

export type RequestStatus = {
  state: SigningRequestState;
  /** Why it ended, in plain words (undefined while open or once signed). */
  reason?: string;
  /** Guardians named by blame entries for this request (a failed run names who didn't answer). */
  culprits: string[];
  expiresAt: number;
  /** Signed, but sending it failed (the requester said why, in `reason`): it may be closed or retried. */
  submissionFailed?: boolean;
  /** Closed after its failed submission, by whom and how (the first member's close counts). */
  closed?: { by: string; how: CloseHow };
};

export type RequestStatusParameters = {
  request: { id: string; author: string; at: number; epoch: number };
  votes: RequestVotes;
  /** The wallet as this device holds it now. */
  wallet: { members: readonly string[]; threshold: number; epoch: number };
  now: number;
  /** This device holds the signature. */
  signed: boolean;
  /** Signer sets the coordinator may announce before giving up (the coordinator's `maxAttempts`). */
  maxAttempts: number;
  /** Why the app knows it can no longer go through (e.g. another request used its nonce), if it does. */
  stale?: string;
  /** Signer-set announcements that count (`countingSignerSets`). */
  validSets: readonly { signers: readonly string[] }[];
};

/** The state of one request; a pure function of its inputs. */
export function requestStatus(p: RequestStatusParameters): RequestStatus {
  const { votes, wallet } = p;
  const expiresAt = p.request.at + REQUEST_TTL_MS;
  const culprits = [...votes.blamed].filter((k) => wallet.members.includes(k)).sort();
  const end = (state: SigningRequestState, reason?: string): RequestStatus => ({ state, ...(reason === undefined ? {} : { reason }), culprits, expiresAt });
  // Only the requester submits, so only its report counts — and only one made after t guardians had
  // approved it (before that there is nothing to submit: it withdraws instead). Checked before
  // `signed`: the signers hold the signature, yet the payment did not happen.
  const failure = votes.submissionFailures.get(p.request.author);
  if (failure && failure.approvalsBefore >= wallet.threshold)
    return { ...end('failed', failure.reason), submissionFailed: true, ...(failure.closed ? { closed: failure.closed } : {}) };
  if (p.signed) return end('signed');
  const withdrawal = votes.denials.get(p.request.author);
  if (withdrawal !== undefined) return end('withdrawn', withdrawal);
  const n = wallet.members.length;
  if (votes.denials.size >= n - wallet.threshold + 1)
    return end('denied', `${votes.denials.size} of ${n} guardians denied it: it can no longer get ${wallet.threshold} approvals.`);
  if (p.stale !== undefined) return end('failed', p.stale);
  if (p.request.epoch < wallet.epoch)
    return end('failed', 'The guardians renewed their key shares after this was asked, so it can no longer be signed. Ask again.');
  if (n - culprits.length < wallet.threshold)
    return end('failed', `Signing failed: too many guardians didn't answer in time or sent bad data for it to be signed.`);
  const last = p.validSets.at(-1);
  if (p.validSets.length >= p.maxAttempts && last && last.signers.some((k) => votes.blamed.has(k)))
    return end('failed', `Signing failed ${p.validSets.length} times: guardians didn't answer in time or sent bad data.`);
  if (p.now > expiresAt) return end('expired', 'Not enough guardians approved it within 7 days.');
  return end(p.request.epoch === wallet.epoch && votes.approvers.length >= wallet.threshold ? 'approved' : 'waiting');
}

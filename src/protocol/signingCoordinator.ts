/**
 * Sign requests and approvals in the log, and the FROST signing sessions they start.
 *
 * - A `request` entry carries a typed `SigningRequest` and the epoch; its entry id is the request id.
 * - `approval` entries (one counts per guardian) are given only after the device's policy hook
 *   allowed the request (invariant 8 in docs/invariants.md; the policy itself lives in `src/device/policy`).
 * - When t approvals exist, one device — the coordinator — announces the signer set in a
 *   `signing-quorum` entry: the first t approving guardians it sees that no `blame` entry for this
 *   request names. Everyone signs with the latest announced set. Approvals arriving concurrently
 *   can reach devices in different orders, so letting each device pick its own quorum made them
 *   start different sessions; one announcement makes them agree.
 * - The coordinator is the requester, or — once blame names it — the first unblamed approver.
 *   A guardian in the announced set signs; the requester, if outside it, observes and aggregates.
 * - A failed attempt publishes blame (the runner does); the coordinator then announces the next
 *   set (approvals beyond the first t, minus the blamed), at most `maxAttempts` times.
 * - Every request ends in one state every device reads from the log (`requestLifecycle.ts`):
 *   signed, denied, withdrawn (the requester's own denial), expired or failed. An ended request is
 *   neither approved nor signed here; its waiters are told why and its runs are cancelled.
 */
import { CairnError, frostSigningSession, signingPath, type KeyPackage, type PublicPackage, type SigningRequest } from '../core/index.ts';
import { equalBytes, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { BLAME_LOG_KIND, decodeBlame } from './blame.ts';
import { frostSignDescriptor, type FrostSignResult } from './descriptors/frostSign.ts';
import { decodeEnvelope, decodeEnvelopeBatch } from './envelope.ts';
import { ENVELOPE_LOG_KIND } from './envelopeRouter.ts';
import type { NonceStore } from './nonceStore.ts';
import {
  type CloseHow,
  decodeRequestClosed,
  decodeSubmissionFailed,
  encodeRequestClosed,
  encodeSubmissionFailed,
  REQUEST_CLOSED_LOG_KIND,
  SUBMISSION_FAILED_LOG_KIND,
} from './submissionCodec.ts';
import { runProtocol, type ProtocolRun, type RunnerEnv } from './roundRunner.ts';
import {
  hasEnded,
  REQUEST_TTL_MS,
  requestStatus,
  WITHDRAWN_BY_REQUESTER,
  requestVotes,
  type SigningRequestState,
  type RequestStatus,
} from './requestLifecycle.ts';
import {
  decodeApproval,
  decodeDenial,
  decodeQuorum,
  decodeRequestBody,
  encodeApproval,
  encodeDenial,
  encodeQuorum,
  encodeRequestBody,
  QUORUM_LOG_KIND,
} from './signingRequestCodec.ts';

export type PolicyVerdict = { allow: true } | { allow: false; reason: string };
/** Called before this device approves (and so co-signs) a request. */
export type PolicyHook = (request: SigningRequest, meta: { requestId: string; requester: string; epoch: number }) => PolicyVerdict | Promise<PolicyVerdict>;

export type StaleReason = (request: SigningRequest, requestId: string) => string | undefined;

export type SigningEvent =
  | { type: 'request'; requestId: string; requester: string; request: SigningRequest; epoch: number }
  | { type: 'approvals'; requestId: string; count: number; needed: number; approvers: readonly string[] }
  | { type: 'denied'; requestId: string; by: string; reason: string }
  | { type: 'signing'; requestId: string; signers: readonly string[]; attempt: number }
  | { type: 'signature'; requestId: string; signature: Uint8Array; signers: readonly string[] }
  /** The request ended without a signature here (denied, withdrawn, expired, failed): once per request per device. */
  | { type: 'request-ended'; requestId: string; state: SigningRequestState; reason: string; culprits: readonly string[] };

export type RequestView = {
  requestId: string;
  requester: string;
  /** The requester's timestamp (expiry counts from it). */
  at: number;
  epoch: number;
  request: SigningRequest;
  approvers: readonly string[];
  denials: ReadonlyMap<string, string>;
  result?: FrostSignResult;
} & RequestStatus;

export type SigningCoordinatorParameters = {
  identity: DeviceIdentity;
  log: RequestLog;
  env: RunnerEnv;
  /** The current epoch's packages (undefined until the wallet exists). */
  wallet: () => { pub: PublicPackage; key: KeyPackage } | undefined;
  nonces: NonceStore;
  policy?: PolicyHook;
  /** A request the app knows can no longer go through (its nonce was used by another) fails with this reason. */
  staleReason?: StaleReason;
  onEvent: (e: SigningEvent) => void;
  maxAttempts?: number;
  /**
   * EOA requests (`signingPath(request) === 'ecdsa'`) run DKLs23 through this instead of FROST: a run for the
   * quorum, or undefined while pairwise setups are missing (it calls `reevaluate()` when they change).
   */
  ecdsa?: {
    sign(q: {
      requestId: Uint8Array;
      request: SigningRequest;
      requester: string;
      quorum: readonly string[];
    }): { key: string; start(): ProtocolRun<FrostSignResult> } | undefined;
  };
};

type Tracked = {
  id: string;
  author: string;
  at: number;
  epoch: number;
  request: SigningRequest;
  attempts: Map<string, ProtocolRun<FrostSignResult>>;
  result?: FrostSignResult;
  /** Set once this device saw it end without a signature (the event and the waiters' rejection happen once). */
  ended?: boolean;
  expiryTimer?: unknown;
  waiters: { resolve: (r: FrostSignResult) => void; reject: (e: unknown) => void }[];
};

/** Who announces signer sets: the requester, or the first unblamed approver once blame names it. */
function coordinatorOf(requester: string, approvers: readonly string[], blamed: ReadonlySet<string>): string | undefined {
  return [requester, ...approvers].find((k) => !blamed.has(k));
}

/**
 * The signer-set announcements that count for a request (log order; the last one is current) and
 * its coordinator. Only the coordinator's count: the requester's while no blame names it, then only
 * the current coordinator's — otherwise any approver, or a blamed requester, could override the set.
 * A set counts only with exactly t approvers.
 */
export function countingSignerSets(r: {
  requester: string;
  approvers: readonly string[];
  blamed: ReadonlySet<string>;
  announced: readonly { by: string; signers: readonly string[] }[];
  threshold: number;
}): { coordinator: string | undefined; valid: { by: string; signers: readonly string[] }[] } {
  const coordinator = coordinatorOf(r.requester, r.approvers, r.blamed);
  const fromCoordinator = (by: string) => (r.blamed.has(r.requester) ? by === coordinator : by === r.requester);
  const valid = r.announced.filter((a) => fromCoordinator(a.by) && a.signers.length === r.threshold && a.signers.every((k) => r.approvers.includes(k)));
  return { coordinator, valid };
}

export function createSigningCoordinator(p: SigningCoordinatorParameters) {
  const self = p.identity.publicKey;
  const tracked = new Map<string, Tracked>();
  const maxAttempts = p.maxAttempts ?? 8;

  const membersNow = () => p.wallet()?.pub.roster.deviceKeys.map(toHex) ?? [];
  const votesOf = (requestId: string) => requestVotes(p.log.entries(), requestId, membersNow());
  const approversOf = (requestId: string) => votesOf(requestId).approvers;

  /** Where a request stands on this device now (undefined until the wallet exists). */
  function statusOf(t: Tracked): RequestStatus | undefined {
    const w = p.wallet();
    if (!w) return undefined;
    const votes = votesOf(t.id);
    const { valid } = countingSignerSets({
      requester: t.author,
      approvers: votes.approvers,
      blamed: votes.blamed,
      announced: votes.announced,
      threshold: w.pub.threshold,
    });
    return requestStatus({
      request: { id: t.id, author: t.author, at: t.at, epoch: t.epoch },
      votes,
      now: p.env.clock.now(),
      signed: t.result !== undefined,
      maxAttempts,
      validSets: valid,
      stale: p.staleReason?.(t.request, t.id),
      wallet: { members: membersNow(), threshold: w.pub.threshold, epoch: w.pub.epoch },
    });
  }

  /** Why waiting for a signature of an ended request is over, as a typed error. */
  function endError(status: RequestStatus): CairnError {
    const reason = status.reason ?? 'This request has ended';
    if (status.state === 'expired') return new CairnError('EXPIRED', reason);
    if (status.state === 'denied' || status.state === 'withdrawn') return new CairnError('POLICY_DENIED', reason);
    return new CairnError(status.reason?.includes('renewed') ? 'WRONG_EPOCH' : 'ABORTED', reason, { culprits: status.culprits });
  }

  /** Ends a request on this device: no more runs, waiters told, one event. */
  function end(t: Tracked, status: RequestStatus): void {
    if (t.ended) return;
    t.ended = true;
    p.env.clock.clearTimeout(t.expiryTimer);
    for (const run of t.attempts.values()) run.cancel('The request has ended');
    const err = endError(status);
    for (const x of t.waiters.splice(0)) x.reject(err);
    p.onEvent({ type: 'request-ended', requestId: t.id, state: status.state, reason: err.shortMessage, culprits: status.culprits });
  }

  function settle(t: Tracked, result: FrostSignResult): void {
    if (t.result) return;
    t.result = result;
    p.env.clock.clearTimeout(t.expiryTimer);
    for (const run of t.attempts.values()) run.cancel('Another quorum finished this signature');
    p.onEvent({ type: 'signature', requestId: t.id, signature: result.signature, signers: result.signers });
    for (const w of t.waiters.splice(0)) w.resolve(result);
  }

  function evaluate(t: Tracked): void {
    const w = p.wallet();
    const status = statusOf(t);
    if (t.result || t.ended || !w || !status) return;
    // Ended (denied, withdrawn, expired, or failed — e.g. for shares a key change has replaced): never signed here.
    if (hasEnded(status.state)) return end(t, status);
    if (w.pub.epoch !== t.epoch) return;
    const threshold = w.pub.threshold;
    const { approvers, blamed, announced } = votesOf(t.id);
    const { coordinator, valid } = countingSignerSets({ requester: t.author, approvers, blamed, announced, threshold });
    const current = valid.at(-1)?.signers;
    if (coordinator === self && (!current || current.some((k) => blamed.has(k)))) {
      const candidates = approvers.filter((k) => !blamed.has(k));
      const next = candidates.slice(0, threshold);
      // Our own announcement comes back through the log and starts the run there.
      if (candidates.length >= threshold && valid.length < maxAttempts && !valid.some((a) => a.signers.join() === next.join()))
        p.log.append(QUORUM_LOG_KIND, encodeQuorum(t.id, next));
      return;
    }
    if (!current) return;
    const quorum = current;
    const signer = quorum.includes(self);
    if (!signer && t.author !== self) return;
    if (signingPath(t.request) === 'ecdsa') {
      if (!p.ecdsa || t.attempts.size >= maxAttempts) return;
      const started = p.ecdsa.sign({ requestId: hexToBytesStrict(t.id, 'request id', 32), request: t.request, requester: t.author, quorum });
      if (!started || t.attempts.has(started.key)) return;
      return track(t, started.key, quorum, started.start());
    }
    const key = quorum.join(',');
    if (t.attempts.has(key) || t.attempts.size >= maxAttempts) return;
    const requestId = hexToBytesStrict(t.id, 'request id', 32);
    // A run does not survive a reload: a session this device already sent packages in (before the page
    // was reloaded) is over for it. Starting it again only timed out and blamed the others on every reload.
    if (signer && sentIn(frostSigningSession(w.pub, { signers: quorum.map((k) => hexToBytesStrict(k, 'signer', 33)), requestId, request: t.request }).session))
      return;
    const run = runProtocol(
      frostSignDescriptor,
      { pub: w.pub, key: signer ? w.key : undefined, signers: quorum, requestId, request: t.request, nonces: p.nonces },
      p.env,
    );
    track(t, key, quorum, run);
  }

  /** Whether this device's own envelopes in the log already belong to `session`. */
  function sentIn(session: Uint8Array): boolean {
    for (const e of p.log.entries()) {
      if (e.kind !== ENVELOPE_LOG_KIND || e.author !== self) continue;
      try {
        if (decodeEnvelopeBatch(e.body).some((raw) => equalBytes(decodeEnvelope(raw).session, session))) return true;
      } catch {
        continue; // our own entries decode; anything else is not ours to judge here
      }
    }
    return false;
  }

  function track(t: Tracked, key: string, quorum: readonly string[], run: ProtocolRun<FrostSignResult>): void {
    t.attempts.set(key, run);
    p.onEvent({ type: 'signing', requestId: t.id, signers: quorum, attempt: t.attempts.size });
    run.result.then(
      (res) => settle(t, res),
      () => queueMicrotask(() => evaluate(t)), // blame is in the log now; try the next quorum
    );
  }

  function onEntry(e: LogEntry): void {
    try {
      if (e.kind === 'request') {
        const { epoch, request } = decodeRequestBody(e.body);
        const t: Tracked = { id: e.id, author: e.author, at: e.at, epoch, request, attempts: new Map(), waiters: [] };
        tracked.set(e.id, t);
        // Expiry is the one end the log can't announce: the clock re-checks the request then.
        const untilExpiry = t.at + REQUEST_TTL_MS - p.env.clock.now();
        if (untilExpiry >= 0) t.expiryTimer = p.env.clock.setTimeout(() => evaluate(t), untilExpiry + 1);
        p.onEvent({ type: 'request', requestId: e.id, requester: e.author, request, epoch });
        evaluate(t);
      } else if (e.kind === 'approval') {
        const t = tracked.get(decodeApproval(e.body));
        if (!t) return; // evaluate() reads approvals from the log when the request arrives
        const approvers = approversOf(t.id);
        p.onEvent({ type: 'approvals', requestId: t.id, count: approvers.length, needed: p.wallet()?.pub.threshold ?? 0, approvers });
        evaluate(t);
      } else if (e.kind === 'denial') {
        const d = decodeDenial(e.body);
        const t = tracked.get(d.requestId);
        if (!t) return;
        p.onEvent({ type: 'denied', requestId: t.id, by: e.author, reason: d.reason });
        evaluate(t);
      } else if (e.kind === QUORUM_LOG_KIND) {
        const t = tracked.get(decodeQuorum(e.body).requestId);
        if (t) evaluate(t);
      } else if (e.kind === SUBMISSION_FAILED_LOG_KIND || e.kind === REQUEST_CLOSED_LOG_KIND) {
        const id = e.kind === SUBMISSION_FAILED_LOG_KIND ? decodeSubmissionFailed(e.body).requestId : decodeRequestClosed(e.body).requestId;
        const t = tracked.get(id);
        if (t) evaluate(t);
      } else if (e.kind === BLAME_LOG_KIND) {
        const b = decodeBlame(e.body);
        const t = (b.protocol === 'frost-sign' || b.protocol === 'ecdsa-sign') && b.requestId.length === 32 ? tracked.get(toHex(b.requestId)) : undefined;
        if (t) evaluate(t);
      }
    } catch (err) {
      p.env.onEvent({ type: 'rejected', from: e.author, code: err instanceof CairnError ? err.code : 'MALFORMED', reason: `Unreadable ${e.kind} entry` });
    }
  }

  const unsubscribe = p.log.subscribe(onEntry);

  /** An ended request can't be approved, denied or withdrawn (the same rule for every device). */
  function refuseIfEnded(t: Tracked): void {
    const status = statusOf(t);
    if (status && hasEnded(status.state)) throw new CairnError('REQUEST_ENDED', `This request can no longer be approved (${status.state})`);
  }

  function get(requestId: string): Tracked {
    const t = tracked.get(requestId);
    if (!t) throw new CairnError('NOT_FOUND', 'No such signing request in this wallet’s log');
    return t;
  }

  return {
    /** Appends a request (and this device's approval, if its policy allows). */
    async request(request: SigningRequest): Promise<{ requestId: string; signature: Promise<FrostSignResult> }> {
      const w = p.wallet();
      if (!w) throw new CairnError('NOT_FOUND', 'This device holds no share of the wallet yet');
      const entry = p.log.append('request', encodeRequestBody({ epoch: w.pub.epoch, request }));
      const signature = this.result(entry.id);
      // Ended at once (e.g. its nonce is already used): the signature promise says why.
      await this.approve(entry.id).catch((err: unknown) => {
        if (!(err instanceof CairnError && err.code === 'REQUEST_ENDED')) throw err;
      });
      return { requestId: entry.id, signature };
    },
    /** Approves after the policy hook allowed it (throws POLICY_DENIED otherwise, REQUEST_ENDED once it has ended). */
    async approve(requestId: string): Promise<void> {
      const t = get(requestId);
      refuseIfEnded(t);
      if (approversOf(requestId).includes(self)) return;
      const verdict = p.policy ? await p.policy(t.request, { requestId, requester: t.author, epoch: t.epoch }) : { allow: true as const };
      if (!verdict.allow) throw new CairnError('POLICY_DENIED', verdict.reason);
      refuseIfEnded(t); // it may have ended while the policy was asked
      p.log.append('approval', encodeApproval(requestId));
    },
    /** Denies it; the requester's own denial withdraws it (`withdraw`). */
    deny(requestId: string, reason: string): void {
      refuseIfEnded(get(requestId));
      p.log.append('denial', encodeDenial(requestId, reason));
    },
    /** The requester takes its request back: its own denial, which ends the request for everyone. */
    withdraw(requestId: string, reason = WITHDRAWN_BY_REQUESTER): void {
      const t = get(requestId);
      if (t.author !== self) throw new CairnError('BAD_PARAMETERS', 'Only the guardian who asked can withdraw a request');
      refuseIfEnded(t);
      p.log.append('denial', encodeDenial(requestId, reason));
    },
    /**
     * The requester reports that sending its signed request failed, with the cause in plain words: the
     * request ends as failed on every device (`submissionCodec.ts`).
     */
    reportSubmissionFailed(requestId: string, reason: string): void {
      const t = get(requestId);
      if (t.author !== self) throw new CairnError('BAD_PARAMETERS', 'Only the guardian who asked sends a request, so only it can report that sending failed');
      const status = statusOf(t);
      if (status?.submissionFailed) return;
      if (!status || (status.state !== 'approved' && status.state !== 'signed'))
        throw new CairnError('BAD_PARAMETERS', `Only an approved request can fail to be sent (this one is ${status?.state ?? 'unknown'})`);
      p.log.append(SUBMISSION_FAILED_LOG_KIND, encodeSubmissionFailed(requestId, reason));
    },
    /** Any guardian closes a request whose submission failed — as it is, or because it is being asked again. */
    closeFailed(requestId: string, how: CloseHow): void {
      const status = statusOf(get(requestId));
      if (!membersNow().includes(self)) throw new CairnError('BAD_PARAMETERS', 'Only a guardian of this wallet can close a request');
      if (!status?.submissionFailed) throw new CairnError('BAD_PARAMETERS', 'Only a request whose sending failed can be closed or retried');
      if (status.closed) throw new CairnError('REQUEST_ENDED', 'This request is already closed');
      p.log.append(REQUEST_CLOSED_LOG_KIND, encodeRequestClosed(requestId, how));
    },
    /** Resolves with the aggregated signature once any quorum finishes (this device takes part or requested). */
    result(requestId: string): Promise<FrostSignResult> {
      const t = get(requestId);
      if (t.result) return Promise.resolve(t.result);
      const status = statusOf(t);
      if (status && hasEnded(status.state)) return Promise.reject(endError(status));
      return new Promise((resolve, reject) => t.waiters.push({ resolve, reject }));
    },
    /** Re-checks every request (e.g. once the wallet's share became available). */
    reevaluate(): void {
      for (const t of tracked.values()) evaluate(t);
    },
    requests(): RequestView[] {
      const views: RequestView[] = [];
      for (const t of tracked.values()) {
        const status = statusOf(t);
        if (!status) continue;
        const { approvers, denials } = votesOf(t.id);
        views.push({ requestId: t.id, requester: t.author, at: t.at, epoch: t.epoch, request: t.request, approvers, denials, result: t.result, ...status });
      }
      return views;
    },
    destroy(): void {
      unsubscribe();
      for (const t of tracked.values()) {
        p.env.clock.clearTimeout(t.expiryTimer);
        for (const run of t.attempts.values()) run.cancel('Closed');
      }
    },
  };
}

export type SigningCoordinator = ReturnType<typeof createSigningCoordinator>;

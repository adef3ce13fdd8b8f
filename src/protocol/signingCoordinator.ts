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
 */
import { CairnError, signingPath, type KeyPackage, type PublicPackage, type SigningRequest } from '../core/index.ts';
import { hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { BLAME_LOG_KIND, decodeBlame } from './blame.ts';
import { frostSignDescriptor, type FrostSignResult } from './descriptors/frostSign.ts';
import type { NonceStore } from './nonceStore.ts';
import { runProtocol, type ProtocolRun, type RunnerEnv } from './roundRunner.ts';
import {
  decodeApproval, decodeDenial, decodeQuorum, decodeRequestBody, encodeApproval, encodeDenial, encodeQuorum, encodeRequestBody, QUORUM_LOG_KIND,
} from './signingRequestCodec.ts';

export type PolicyVerdict = { allow: true } | { allow: false; reason: string };
/** Called before this device approves (and so co-signs) a request. */
export type PolicyHook = (request: SigningRequest, meta: { requestId: string; requester: string; epoch: number }) => PolicyVerdict | Promise<PolicyVerdict>;

export type SigningEvent =
  | { type: 'request'; requestId: string; requester: string; request: SigningRequest; epoch: number }
  | { type: 'approvals'; requestId: string; count: number; needed: number; approvers: readonly string[] }
  | { type: 'denied'; requestId: string; by: string; reason: string }
  | { type: 'signing'; requestId: string; signers: readonly string[]; attempt: number }
  | { type: 'signature'; requestId: string; signature: Uint8Array; signers: readonly string[] };

export type RequestView = {
  requestId: string;
  requester: string;
  epoch: number;
  request: SigningRequest;
  approvers: readonly string[];
  denials: ReadonlyMap<string, string>;
  result?: FrostSignResult;
};

export type SigningCoordinatorParameters = {
  identity: DeviceIdentity;
  log: RequestLog;
  env: RunnerEnv;
  /** The current epoch's packages (undefined until the wallet exists). */
  wallet: () => { pub: PublicPackage; key: KeyPackage } | undefined;
  nonces: NonceStore;
  policy?: PolicyHook;
  onEvent: (e: SigningEvent) => void;
  maxAttempts?: number;
  /**
   * EOA requests (`signingPath(request) === 'ecdsa'`) run DKLs23 through this instead of FROST: a run for the
   * quorum, or undefined while pairwise setups are missing (it calls `reevaluate()` when they change).
   */
  ecdsa?: {
    sign(q: { requestId: Uint8Array; request: SigningRequest; requester: string; quorum: readonly string[] }): { key: string; start(): ProtocolRun<FrostSignResult> } | undefined;
  };
};

type Tracked = {
  id: string;
  author: string;
  epoch: number;
  request: SigningRequest;
  denials: Map<string, string>;
  attempts: Map<string, ProtocolRun<FrostSignResult>>;
  result?: FrostSignResult;
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

  /** Approvers (log order, members only) and blamed devices of a request, read from the synced log. */
  function stateOf(requestId: string): { approvers: string[]; blamed: Set<string>; announced: { by: string; signers: string[] }[] } {
    const approvers: string[] = [];
    const blamed = new Set<string>();
    const announced: { by: string; signers: string[] }[] = [];
    for (const e of p.log.entries()) {
      try {
        if (e.kind === 'approval' && !approvers.includes(e.author) && decodeApproval(e.body) === requestId) approvers.push(e.author);
        else if (e.kind === QUORUM_LOG_KIND) {
          const q = decodeQuorum(e.body);
          if (q.requestId === requestId) announced.push({ by: e.author, signers: q.signers });
        }
        else if (e.kind === BLAME_LOG_KIND) {
          const b = decodeBlame(e.body);
          if ((b.protocol === 'frost-sign' || b.protocol === 'ecdsa-sign') && toHex(b.requestId) === requestId) for (const c of b.culprits) blamed.add(c);
        }
      } catch {
        continue; // unreadable entries are reported where they are first decoded
      }
    }
    const members = p.wallet()?.pub.roster.deviceKeys.map(toHex);
    return { approvers: members ? approvers.filter((k) => members.includes(k)) : approvers, blamed, announced };
  }

  const approversOf = (requestId: string) => stateOf(requestId).approvers;

  function settle(t: Tracked, result: FrostSignResult): void {
    if (t.result) return;
    t.result = result;
    for (const run of t.attempts.values()) run.cancel('Another quorum finished this signature');
    p.onEvent({ type: 'signature', requestId: t.id, signature: result.signature, signers: result.signers });
    for (const w of t.waiters.splice(0)) w.resolve(result);
  }

  function evaluate(t: Tracked): void {
    const w = p.wallet();
    if (t.result || !w) return;
    if (t.epoch < w.pub.epoch) {
      // The shares of that epoch are gone (refresh/reshare promoted): it can never be signed now.
      const err = new CairnError('WRONG_EPOCH', `This request was for epoch ${t.epoch}; the wallet moved to epoch ${w.pub.epoch}. Ask again.`);
      for (const x of t.waiters.splice(0)) x.reject(err);
      return;
    }
    if (w.pub.epoch !== t.epoch) return;
    const threshold = w.pub.threshold;
    const { approvers, blamed, announced } = stateOf(t.id);
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
    const run = runProtocol(
      frostSignDescriptor,
      { pub: w.pub, key: signer ? w.key : undefined, signers: quorum, requestId: hexToBytesStrict(t.id, 'request id', 32), request: t.request, nonces: p.nonces },
      p.env,
    );
    track(t, key, quorum, run);
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
        const t: Tracked = { id: e.id, author: e.author, epoch, request, denials: new Map(), attempts: new Map(), waiters: [] };
        tracked.set(e.id, t);
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
        t.denials.set(e.author, d.reason);
        p.onEvent({ type: 'denied', requestId: t.id, by: e.author, reason: d.reason });
        const w = p.wallet();
        if (w && t.denials.size > w.pub.roster.deviceKeys.length - w.pub.threshold && !t.result) {
          const err = new CairnError('POLICY_DENIED', 'Too many guardians denied this request for it to be signed');
          for (const x of t.waiters.splice(0)) x.reject(err);
        }
      } else if (e.kind === QUORUM_LOG_KIND) {
        const t = tracked.get(decodeQuorum(e.body).requestId);
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
      await this.approve(entry.id);
      return { requestId: entry.id, signature };
    },
    /** Approves after the policy hook allowed it (throws POLICY_DENIED otherwise). */
    async approve(requestId: string): Promise<void> {
      const t = get(requestId);
      if (approversOf(requestId).includes(self)) return;
      const verdict = p.policy ? await p.policy(t.request, { requestId, requester: t.author, epoch: t.epoch }) : { allow: true as const };
      if (!verdict.allow) throw new CairnError('POLICY_DENIED', verdict.reason);
      p.log.append('approval', encodeApproval(requestId));
    },
    deny(requestId: string, reason: string): void {
      get(requestId);
      p.log.append('denial', encodeDenial(requestId, reason));
    },
    /** Resolves with the aggregated signature once any quorum finishes (this device takes part or requested). */
    result(requestId: string): Promise<FrostSignResult> {
      const t = get(requestId);
      if (t.result) return Promise.resolve(t.result);
      return new Promise((resolve, reject) => t.waiters.push({ resolve, reject }));
    },
    /** Re-checks every request (e.g. once the wallet's share became available). */
    reevaluate(): void {
      for (const t of tracked.values()) evaluate(t);
    },
    requests(): RequestView[] {
      return [...tracked.values()].map((t) => ({
        requestId: t.id, requester: t.author, epoch: t.epoch, request: t.request, approvers: approversOf(t.id), denials: t.denials, result: t.result,
      }));
    },
    destroy(): void {
      unsubscribe();
      for (const t of tracked.values()) for (const run of t.attempts.values()) run.cancel('Closed');
    },
  };
}

export type SigningCoordinator = ReturnType<typeof createSigningCoordinator>;

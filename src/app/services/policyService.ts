/**
 * This device's policy, per open wallet: the gate on the signing coordinator's approval hook, and
 * **held approvals**. When the user approves a request that the policy blocks, nothing is signed;
 * if waiting can fix it (`retryAt`), the device remembers the user's approval and gives it by
 * itself once the rules pass (re-checked every few seconds with the device clock). The other
 * guardians may complete the request meanwhile; a hold then simply ends. Held approvals and
 * first-seen times are sealed in the share store (`policyState.ts`), so a reload keeps both.
 * Every hold is also published as a `hold` entry (rule, reason, when it lifts), so the requester and
 * the other guardians see why this guardian's approval is missing (`holdTextFor`).
 */
import { getAddress, type Address } from 'viem';
import type { SigningRequest } from '../../core/index.ts';
import { checkKeyChangeDelay } from '../../device/policy/checkKeyChangeDelay.ts';
import type { GuardianPolicy, RuleDenial } from '../../device/policy/index.ts';
import type { RequestLog } from '../../net/requestLog.ts';
import { EPOCH_ANNOUNCEMENT_KIND } from '../../protocol/epochAnnouncement.ts';
import type { KeyChangeStatus } from '../../protocol/keyChangeApproval.ts';
import type { PolicyVerdict } from '../../protocol/signingCoordinator.ts';
import { hasEnded } from '../../protocol/requestLifecycle.ts';
import { deviceNow } from './policyClock.ts';
import { checkSigningRequest, type HoldRule, type PolicyCheck, type PolicyHookParameters } from './policyHook.ts';
import { policiesInLog, publishPolicy, spendHistoryFromLog } from './policyLog.ts';
import { loadPolicyState, savePolicyState } from './policyState.ts';
import { knownTokenInfo, loadTokenInfo } from './tokenInfo.ts';
import type { WalletSession } from './walletSession.ts';

const RECHECK_EVERY_MS = 2_000;

export type Hold = Extract<PolicyCheck, { allow: false }> & { requestId: string };

export const RULE_NAMES: Record<HoldRule, string> = {
  unknownData: 'rule against signing unknown data',
  dailyLimit: 'daily limit',
  timeLock: 'time lock',
  workingHours: 'working hours',
  allowList: 'allow-list',
  denyList: 'deny-list',
  keyChangeDelay: 'waiting time for changes to the guardians',
};

/** "Held by your time lock: … — it can go through today at 14:09". */
export function holdText(h: Pick<Hold, 'rule' | 'reason' | 'retryAt'>, now = deviceNow()): string {
  if (h.rule === 'unknownData') return `Held: ${h.reason[0]!.toLowerCase()}${h.reason.slice(1)}. Approve it only if you know exactly what it is.`;
  // "Over your daily limit of 1 ETH: …" reads as "Held by your daily limit of 1 ETH: …".
  const head = h.reason.startsWith('Over your ') ? `Held by your ${h.reason.slice('Over your '.length)}` : `Held by your ${RULE_NAMES[h.rule]}: ${h.reason}`;
  if (!h.retryAt) return `${head}. Waiting will not change this; the other guardians can still approve it.`;
  return `${head} — it can go through ${whenText(h.retryAt, now)}. Your approval is then given by itself.`;
}

/** Another guardian's published hold, for everyone: "Bob's daily limit holds their approval: … — it can go through today at 14:09". */
export function holdTextFor(name: string, h: { rule: string; reason: string; retryAt?: number }, now = deviceNow()): string {
  if (h.rule === 'unknownData') return `${name} hasn't approved: it asks to sign data the app can't read, which they would have to allow on purpose.`;
  const rule = Object.hasOwn(RULE_NAMES, h.rule) ? RULE_NAMES[h.rule as HoldRule] : 'rule'; // another device's words: no prototype keys
  // The guardian's own rule text speaks to it ("your daily limit"): to the others it is theirs.
  const head = `${name}'s ${rule} holds their approval: ${h.reason.replace(/\byour\b/g, 'their').replace(/\byou\b/g, 'they')}`;
  if (!h.retryAt) return `${head}. Waiting will not change this.`;
  return `${head} — it can go through ${whenText(h.retryAt, now)}; their approval is then given by itself.`;
}

function whenText(at: number, now: number): string {
  const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const day = (t: number) => new Date(t).toDateString();
  if (day(at) === day(now)) return `today at ${time}`;
  if (day(at) === day(now + 86_400_000)) return `tomorrow at ${time}`;
  return `on ${new Date(at).toLocaleDateString()} at ${time}`;
}

export class PolicyService {
  private readonly seen = new Map<string, number>();
  private readonly holds = new Map<string, Hold>();
  /** Requests whose undecodable data the user chose to sign anyway (this session only: a reload asks again). */
  private readonly unknownDataAllowed = new Set<string>();
  /** The last hold published per request (rule, reason, retryAt), so a re-check publishes only a change. */
  private readonly published = new Map<string, string>();
  /** Held approvals read back after a reload whose request this device hasn't re-checked yet. */
  private readonly restoring = new Set<string>();
  private saving: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: () => void;
  readonly params: PolicyHookParameters;

  constructor(private readonly session: WalletSession) {
    const self = session.identity.publicKey;
    // Symbol and decimals as the chain says (tokenInfo.ts); until read, the rules' own words for the token.
    const token = (a: Address) => {
      const info = knownTokenInfo(a);
      if (info === undefined) loadTokenInfo(a);
      return info ? { address: getAddress(a), ...info } : undefined;
    };
    this.params = {
      policy: () => this.myPolicy(),
      history: () => spendHistoryFromLog(this.log().entries(), self, token),
      now: deviceNow,
      seenAt: (id) => this.seen.get(id),
      token,
    };
    // First-seen times count only for requests that arrive while this device watches: those already
    // in the log when it starts (replayed synchronously by subscribe) count from their creation.
    let live = false;
    this.unsubscribe = this.log().subscribe((e) => {
      // Payment requests (time locks) and key-change proposals (the key-change delay) wait from when this device saw them.
      if (live && (e.kind === 'request' || e.kind === EPOCH_ANNOUNCEMENT_KIND) && !this.seen.has(e.id)) {
        this.seen.set(e.id, deviceNow());
        this.persist();
      }
      if (e.kind === 'policy') this.changed();
    });
    live = true;
    void this.restore();
  }

  /** Reads back first-seen times and held approvals from before a reload. */
  private async restore(): Promise<void> {
    const state = await loadPolicyState(this.session.store, this.session.walletInfo().walletId);
    for (const [id, at] of state.seen) if (!this.seen.has(id) || this.seen.get(id)! > at) this.seen.set(id, at);
    for (const id of state.held) if (!this.holds.has(id)) this.restoring.add(id);
    if (this.restoring.size) {
      this.startTimer();
      await this.recheck();
    }
  }

  private persist(): void {
    const state = { seen: this.seen, held: new Set([...this.holds.keys(), ...this.restoring]) };
    this.saving = this.saving.then(() => savePolicyState(this.session.store, this.session.walletInfo().walletId, state)).catch(() => undefined); // locked store: the next change saves it again
  }

  /** The facade's log (the wallet is open by the time any page uses this service). */
  private log(): RequestLog {
    const log = this.session.guardian.log();
    if (!log) throw new Error('The wallet is not open');
    return log;
  }

  /** Why this device's own rule holds its approval of a key-change proposal now, or undefined. */
  keyChangeHold(s: Pick<KeyChangeStatus, 'id' | 'proposedAt'>): RuleDenial | undefined {
    return checkKeyChangeDelay(this.myPolicy(), { proposedAt: s.proposedAt, seenAt: this.seen.get(s.id) }, deviceNow());
  }

  myPolicy(): GuardianPolicy | undefined {
    return policiesInLog(this.log().entries()).get(this.session.identity.publicKey);
  }

  policies(): Map<string, GuardianPolicy> {
    return policiesInLog(this.log().entries());
  }

  publish(rules: Omit<GuardianPolicy, 'v' | 'guardian' | 'seq'>): GuardianPolicy {
    const p = publishPolicy(this.log(), this.session.identity.publicKey, rules);
    this.changed();
    return p;
  }

  /** The policy's verdict on a signing request, on every path (what the coordinator's hook calls). */
  check(request: SigningRequest, requestId: string, unknownDataAllowed = this.unknownDataAllowed.has(requestId)): PolicyCheck {
    const createdAt =
      this.log()
        .entries()
        .find((e) => e.id === requestId)?.at ?? deviceNow();
    return checkSigningRequest(this.params, request, { requestId, createdAt, unknownDataAllowed });
  }

  /** The user read the "sign unknown data" warning for this one request and approves it anyway. */
  async approveUnknownData(requestId: string): Promise<Hold | undefined> {
    this.unknownDataAllowed.add(requestId);
    this.release(requestId);
    return this.approveOrHold(requestId);
  }

  /** The user approved: approve now if the policy allows, else hold (and approve later by itself if waiting helps). */
  async approveOrHold(requestId: string): Promise<Hold | undefined> {
    const r = this.session.guardian.requests().find((x) => x.requestId === requestId);
    if (!r) throw new Error('This request is not in the log (yet)');
    const verdict = this.check(r.request, requestId);
    if (verdict.allow) {
      await this.session.guardian.approve(requestId);
      this.release(requestId);
      return undefined;
    }
    const hold = { ...verdict, requestId };
    this.holds.set(requestId, hold);
    this.publishHold(hold);
    this.persist();
    this.startTimer();
    this.changed();
    return hold;
  }

  /** Tells everyone why this guardian's approval is missing (informative: the approval itself is what counts). */
  private publishHold(h: Hold): void {
    const value = { requestId: h.requestId, rule: h.rule, reason: h.reason, ...(h.retryAt ? { retryAt: h.retryAt } : {}) };
    const key = JSON.stringify(value);
    if (this.published.get(h.requestId) === key) return;
    this.published.set(h.requestId, key);
    this.session.appendJson('hold', value);
  }

  hold(requestId: string): Hold | undefined {
    return this.holds.get(requestId);
  }

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  private release(requestId: string): void {
    const restored = this.restoring.delete(requestId);
    if (this.holds.delete(requestId) || restored) {
      this.persist();
      this.changed();
    }
    if (!this.holds.size && !this.restoring.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private startTimer(): void {
    this.timer ??= setInterval(() => void this.recheck(), RECHECK_EVERY_MS);
  }

  private async recheck(): Promise<void> {
    for (const id of [...this.restoring]) {
      const r = this.session.guardian.requests().find((x) => x.requestId === id);
      if (!r) continue; // not synced yet
      this.restoring.delete(id);
      const verdict = this.check(r.request, id);
      if (!verdict.allow)
        this.publishHold(this.holds.set(id, { ...verdict, requestId: id }).get(id)!); // held again, with today's reason
      else if (!r.result) await this.session.guardian.approve(id).catch(() => this.restoring.add(id)); // passes now: give it
      this.persist();
      this.changed();
    }
    for (const [id, hold] of [...this.holds]) {
      const r = this.session.guardian.requests().find((x) => x.requestId === id);
      const needed = this.session.guardian.wallet()?.pub.threshold ?? Infinity;
      const others = r ? r.approvers.filter((k) => k !== this.session.identity.publicKey).length : 0;
      if (!r || r.result || others >= needed || hasEnded(r.state)) {
        this.release(id); // the other guardians suffice (or it is gone, or it ended): nothing to give
        continue;
      }
      const verdict = this.check(r.request, id);
      if (!verdict.allow) {
        if (verdict.reason !== hold.reason || verdict.retryAt !== hold.retryAt) {
          this.holds.set(id, { ...verdict, requestId: id });
          this.publishHold(this.holds.get(id)!);
          this.changed();
        }
        continue;
      }
      try {
        await this.session.guardian.approve(id);
        this.release(id);
      } catch {
        // the coordinator's own check still refuses (e.g. the clock moved back): keep holding
      }
    }
  }

  private version = 0;
  /** Changes with every policy or hold change (for useSyncExternalStore). */
  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const cb of [...this.listeners]) cb();
  }

  destroy(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }
}

const services = new WeakMap<WalletSession, PolicyService>();

export function policyFor(session: WalletSession): PolicyService {
  let s = services.get(session);
  if (!s) services.set(session, (s = new PolicyService(session)));
  return s;
}

/**
 * The coordinator's approval hook: the onboarding/vault checks first (`base`), then this
 * guardian's spending policy on the decoded request.
 */
export function spendPolicyGate(
  session: WalletSession,
  request: SigningRequest,
  meta: { requestId: string; requester?: string },
  base: PolicyVerdict,
): PolicyVerdict {
  if (!base.allow) return base;
  // Data this device can't read, asked for on this device: the person typed it here (a pasted ABI), which is their
  // opt-in for the data — not for the spending rules, which still apply to what it sends.
  const verdict = policyFor(session).check(request, meta.requestId, meta.requester === session.identity.publicKey || undefined);
  return verdict.allow ? verdict : { allow: false, reason: holdText(verdict) };
}

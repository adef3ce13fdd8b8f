/**
 * One open wallet on this device: its Y.Doc (persisted in IndexedDB), the guardians' WebRTC room,
 * the signed request log, and the protocol pieces on top (envelope router, round-runner, signing
 * coordinator). It also runs onboarding: it watches the log for joins, starts the DKG once the
 * roster is complete, and (on the creator's device) registers the wallet and deploys its vault.
 *
 * React reads `snapshot()` through `subscribe` (useSyncExternalStore); every change makes a new
 * snapshot object.
 */
import { publicKeyToAddress } from 'viem/accounts';
import { bytesToHex, getAddress, type Address, type Hex } from 'viem';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  decodeKeyPackage, encodeKeyPackage, encodePublicPackage, frostSigningSession, groupKeyOf,
  type KeyPackage, type PublicPackage, type SigningRequest,
} from '../../core/index.ts';
import { hexToBytesStrict, toHex, utf8 } from '../../device/byteCodec.ts';
import type { DeviceIdentity } from '../../device/deviceIdentity.ts';
import type { ShareStore } from '../../device/shareStore.ts';
import { getCurrentEpoch, putCurrentEpoch } from '../../device/walletRecords.ts';
import { openWalletDoc, type WalletDoc } from '../../net/walletDoc.ts';
import { createWebrtcRooms, type WebrtcRoom } from '../../net/webrtcRoom.ts';
import { DEFAULT_LOG_ENTRY_KINDS, openRequestLog, type LogEntry, type RequestLog } from '../../net/requestLog.ts';
import { BLAME_LOG_KIND } from '../../protocol/blame.ts';
import { systemClock } from '../../protocol/clock.ts';
import { dkgDescriptor } from '../../protocol/descriptors/dkg.ts';
import { createEnvelopeRouter, type EnvelopeRouter } from '../../protocol/envelopeRouter.ts';
import type { ProtocolEvent } from '../../protocol/events.ts';
import { shareStoreNonces } from '../../protocol/nonceStore.ts';
import { runProtocol, type RunnerEnv } from '../../protocol/roundRunner.ts';
import { createSigningCoordinator, type SigningCoordinator, type SigningEvent } from '../../protocol/signingCoordinator.ts';
import { pendingRoster, type PendingRoster } from '../../protocol/walletCreation.ts';
import type { WalletRoom } from '../../protocol/walletRoomRecord.ts';
import { saveWalletInfo, type WalletInfo } from './walletInfo.ts';
import { guardianSigner } from './frostSigner.ts';
import { approvalCheck } from './approvalCheck.ts';
import { spendPolicyGate } from './policyService.ts';

export const APP_LOG_KINDS = [...DEFAULT_LOG_ENTRY_KINDS, BLAME_LOG_KIND, 'profile', 'vault', 'receipt'] as const;
const ROUND_TIMEOUT_MS = 90_000;
const PRESENCE_EVERY_MS = 5_000;

export type Progress = { round: number; rounds: number; label?: string };

export type RequestState = {
  id: string;
  requester: string;
  at: number;
  epoch: number;
  request: SigningRequest;
  approvers: readonly string[];
  denials: readonly (readonly [string, string])[];
  needed: number;
  status: 'waiting' | 'signing' | 'signed' | 'sent' | 'denied';
  progress?: Progress;
  txHash?: Hex;
};

export type Snapshot = {
  info: WalletInfo;
  self: string;
  phase: 'gathering' | 'keygen' | 'ready';
  roster?: PendingRoster;
  keygen?: Progress;
  problem?: string;
  /** On-chain setup (creator): what it is doing now, or undefined when done/idle. */
  setup?: string;
  requests: RequestState[];
  entries: LogEntry[];
  /** Device key → last time it was seen online (ms). */
  seen: Record<string, number>;
  peers: number;
};

export type OpenSessionParameters = {
  store: ShareStore;
  identity: DeviceIdentity;
  info: WalletInfo;
  room: WalletRoom;
  /** Called after the DKG on the creator's device (registers + deploys on chain). */
  onKeyReady?: (s: WalletSession) => void;
};

const rooms = createWebrtcRooms();

export class WalletSession {
  readonly store: ShareStore;
  readonly identity: DeviceIdentity;
  readonly log: RequestLog;
  readonly coordinator: SigningCoordinator;
  private readonly doc: WalletDoc;
  private room: WebrtcRoom | undefined;
  private readonly router: EnvelopeRouter;
  private readonly env: RunnerEnv;
  private info: WalletInfo;
  private wallet: { pub: PublicPackage; key: KeyPackage } | undefined;
  private snap: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly requestMeta = new Map<string, { progress?: Progress; status?: RequestState['status'] }>();
  private readonly sessionToRequest = new Map<string, string>();
  private dkgSession: string | undefined;
  private roster: PendingRoster | undefined;
  private presenceTimer: ReturnType<typeof setInterval> | undefined;
  private readonly cleanups: (() => void)[] = [];
  private readonly onKeyReady: ((s: WalletSession) => void) | undefined;

  private constructor(p: OpenSessionParameters, doc: WalletDoc) {
    this.store = p.store;
    this.identity = p.identity;
    this.info = p.info;
    this.doc = doc;
    this.onKeyReady = p.onKeyReady;
    const members = p.info.members.length ? p.info.members : [p.info.creator, p.identity.publicKey];
    this.log = openRequestLog({ doc: doc.doc, identity: p.identity, members: [...new Set(members)], scope: p.info.walletId, kinds: APP_LOG_KINDS });
    const onEvent = (e: ProtocolEvent) => this.onProtocolEvent(e);
    this.router = createEnvelopeRouter({ log: this.log, identity: p.identity, onEvent });
    this.env = { identity: p.identity, log: this.log, router: this.router, clock: systemClock, roundTimeoutMs: ROUND_TIMEOUT_MS, onEvent };
    this.coordinator = createSigningCoordinator({
      identity: p.identity,
      log: this.log,
      env: this.env,
      wallet: () => this.wallet,
      nonces: shareStoreNonces(p.store, p.info.walletId),
      policy: (request, meta) => spendPolicyGate(this, request, meta, approvalCheck(this, request, meta.requester)),
      onEvent: (e) => this.onSigningEvent(e),
    });
    this.snap = this.buildSnapshot();
  }

  static async open(p: OpenSessionParameters): Promise<WalletSession> {
    const doc = openWalletDoc({ walletId: p.info.walletId });
    await doc.whenLoaded;
    const s = new WalletSession(p, doc);
    await s.loadKeys();
    s.cleanups.push(s.log.subscribe((e) => s.onEntry(e)));
    try {
      s.room = await rooms.open({ doc: doc.doc, walletId: p.info.walletId, roomSecret: p.room.roomSecret, signalingUrls: p.room.signalingUrls });
      s.cleanups.push(s.room.onPeers(() => s.changed()));
    } catch {
      // Offline or no signaling server: the wallet and its log still open from IndexedDB.
    }
    s.startPresence();
    s.changed();
    return s;
  }

  // ——— state for React ———

  snapshot = (): Snapshot => this.snap;
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  private changed(): void {
    this.snap = this.buildSnapshot();
    for (const cb of [...this.listeners]) cb();
  }

  private buildSnapshot(): Snapshot {
    const entries = this.log.entries();
    const receipts = new Map<string, Hex>();
    for (const e of entries) {
      if (e.kind !== 'receipt') continue;
      const r = parseJson<{ requestId: string; txHash: Hex }>(e.body);
      if (r) receipts.set(r.requestId, r.txHash);
    }
    const needed = this.wallet?.pub.threshold ?? this.info.threshold;
    const times = new Map(entries.map((e) => [e.id, e.at]));
    const requests = this.coordinator.requests().map((v): RequestState => {
      const meta = this.requestMeta.get(v.requestId);
      const txHash = receipts.get(v.requestId);
      const tooManyDenials = v.denials.size > this.info.guardians - needed;
      const status: RequestState['status'] = txHash ? 'sent' : v.result ? 'signed' : meta?.status === 'signing' ? 'signing' : tooManyDenials ? 'denied' : 'waiting';
      return {
        id: v.requestId, requester: v.requester, at: times.get(v.requestId) ?? 0, epoch: v.epoch, request: v.request,
        approvers: v.approvers, denials: [...v.denials], needed, status, progress: meta?.progress, txHash,
      };
    });
    requests.sort((a, b) => b.at - a.at);
    const seen: Record<string, number> = {};
    this.doc.doc.getMap<number>('cairn/presence').forEach((v, k) => (seen[k] = v));
    const phase = this.wallet ? 'ready' : this.dkgSession ? 'keygen' : 'gathering';
    return { ...this.snap, info: this.info, self: this.identity.publicKey, phase, roster: this.roster, requests, entries, seen, peers: this.room?.peers().length ?? 0 };
  }

  // ——— keys ———

  private async loadKeys(): Promise<void> {
    const rec = await getCurrentEpoch(this.store, this.info.walletId);
    if (!rec) return;
    const key = decodeKeyPackage(rec.keyPackage);
    this.wallet = { pub: key.public, key };
  }

  keys(): { pub: PublicPackage; key: KeyPackage } | undefined {
    return this.wallet;
  }

  walletInfo(): WalletInfo {
    return this.info;
  }

  async updateInfo(patch: Partial<WalletInfo>): Promise<void> {
    this.info = { ...this.info, ...patch };
    await saveWalletInfo(this.store, this.info);
    this.changed();
  }

  setProblem(problem: string | undefined, setup?: string): void {
    this.snap = { ...this.snap, problem, setup };
    this.changed();
  }

  // ——— the log ———

  private onEntry(e: LogEntry): void {
    if (e.kind === 'roster' || e.kind === 'join') this.updateRoster();
    if (e.kind === 'profile') {
      const p = parseJson<{ name?: string; wallet?: string }>(e.body);
      if (p?.name) {
        const names = { ...this.info.names, [e.author]: p.name.slice(0, 60) };
        const walletName = e.author === this.info.creator && p.wallet && this.info.name === '' ? p.wallet.slice(0, 60) : this.info.name;
        void this.updateInfo({ names, name: walletName });
      }
    }
    if (e.kind === 'vault' && e.author === this.info.creator && !this.info.vault) {
      const v = parseJson<{ vault: string; chainId: number }>(e.body);
      if (v) void this.updateInfo({ vault: getAddress(v.vault), chainId: v.chainId, registered: true });
    }
    this.changed();
  }

  private updateRoster(): void {
    const roster = pendingRoster(this.log.entries(), this.info.creator, this.info.walletId);
    if (!roster) return;
    const before = this.roster?.members.join(',');
    this.roster = roster;
    if (before !== roster.members.join(',')) this.log.setMembers([...new Set([...roster.members, this.identity.publicKey])]);
    if (roster.complete && !this.wallet && !this.dkgSession && roster.members.includes(this.identity.publicKey)) this.startDkg(roster);
  }

  private startDkg(roster: PendingRoster): void {
    const run = runProtocol(
      dkgDescriptor,
      {
        walletId: hexToBytesStrict(this.info.walletId, 'wallet id', 32),
        deviceKeys: roster.members,
        self: this.identity.publicKey,
        threshold: roster.creation.threshold,
        requestId: hexToBytesStrict(roster.creationId, 'creation id', 32),
      },
      this.env,
    );
    this.dkgSession = toHex(run.session);
    this.snap = { ...this.snap, keygen: { round: 1, rounds: 3, label: 'commitments' } };
    run.result.then(
      async ({ keyPackage, publicPackage }) => {
        await putCurrentEpoch(this.store, this.info.walletId, { epoch: 0, keyPackage: encodeKeyPackage(keyPackage), publicPackage: encodePublicPackage(publicPackage) });
        this.wallet = { pub: publicPackage, key: keyPackage };
        const groupKey = groupKeyOf(publicPackage);
        const eoa = publicKeyToAddress(bytesToHex(secp256k1.Point.fromBytes(groupKey).toBytes(false)));
        await this.updateInfo({ members: roster.members, groupKey: toHex(groupKey), eoa });
        this.log.setMembers(roster.members);
        this.approveOnboardingRequests();
        this.onKeyReady?.(this);
      },
      (err: unknown) => this.setProblem(`Creating the key failed: ${errorText(err)}. Start again with new invites.`),
    );
  }

  // ——— signing ———

  private onSigningEvent(e: SigningEvent): void {
    if (e.type === 'signing') {
      const w = this.wallet;
      const tracked = this.coordinator.requests().find((r) => r.requestId === e.requestId);
      if (w && tracked) {
        const session = frostSigningSession(w.pub, { signers: e.signers.map((k) => hexToBytesStrict(k, 'signer', 33)), requestId: hexToBytesStrict(e.requestId, 'request id', 32), request: tracked.request }).session;
        this.sessionToRequest.set(toHex(session), e.requestId);
      }
      this.requestMeta.set(e.requestId, { status: 'signing', progress: { round: 1, rounds: 2, label: 'nonce commitments' } });
    }
    if (e.type === 'request') this.approveOnboardingRequests();
    this.changed();
  }

  /**
   * Onboarding: the creator registers the wallet; every guardian checks that request field by
   * field (approvalCheck) and co-signs without a click. It may arrive before this device's DKG
   * finished, so this runs again once the key is ready.
   */
  private approveOnboardingRequests(): void {
    if (!this.wallet) return;
    for (const r of this.coordinator.requests()) {
      if (r.request.type !== 'registry-register' || r.requester === this.identity.publicKey || r.result) continue;
      if (r.approvers.includes(this.identity.publicKey) || r.requester !== this.info.creator) continue;
      void this.coordinator.approve(r.requestId).catch((err) => this.setProblem(`Did not co-sign the registration: ${errorText(err)}`));
    }
  }

  private onProtocolEvent(e: ProtocolEvent): void {
    if (e.type === 'progress') {
      if (e.session === this.dkgSession) this.snap = { ...this.snap, keygen: { round: e.round, rounds: e.rounds, label: e.label } };
      const req = this.sessionToRequest.get(e.session);
      if (req) this.requestMeta.set(req, { status: 'signing', progress: { round: e.round, rounds: e.rounds, label: e.label } });
      this.changed();
    }
  }

  /** A FROST signer for the chain helpers; `onRequest` learns the log request id. */
  signer(onRequest?: (id: string) => void) {
    const w = this.wallet;
    if (!w) throw new Error('The wallet has no key yet');
    return guardianSigner({ coordinator: this.coordinator, groupKey: groupKeyOf(w.pub), onRequest });
  }

  appendJson(kind: 'profile' | 'vault' | 'receipt', value: unknown): void {
    this.log.append(kind, utf8(JSON.stringify(value)));
  }

  // ——— presence ———

  private startPresence(): void {
    const map = this.doc.doc.getMap<number>('cairn/presence');
    const beat = () => map.set(this.identity.publicKey, Date.now());
    beat();
    this.presenceTimer = setInterval(beat, PRESENCE_EVERY_MS);
    const obs = () => this.changed();
    map.observe(obs);
    this.cleanups.push(() => map.unobserve(obs));
  }

  peersOnline(): number {
    return this.room?.peers().length ?? 0;
  }

  async destroy(): Promise<void> {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    for (const c of this.cleanups.splice(0)) c();
    this.coordinator.destroy();
    this.router.destroy();
    this.log.destroy();
    await this.room?.destroy();
    await this.doc.destroy();
  }
}

export function parseJson<T>(body: Uint8Array): T | undefined {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as T;
  } catch {
    return undefined;
  }
}

export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'shortMessage' in err && typeof err.shortMessage === 'string') return err.shortMessage;
  return err instanceof Error ? err.message : String(err);
}

export type { Address };

/**
 * One open wallet on this device, as the UI sees it. The protocol work — onboarding and DKG,
 * signing requests and approvals, refresh — is the guardian facade's (`src/protocol/guardian.ts`);
 * this class connects it to the network (Y.Doc persisted in IndexedDB + the WebRTC room), keeps a
 * snapshot for React, and adds the app's own entries to the same signed log: guardian names
 * (`profile`), the vault's address (`vault`) and transaction hashes (`receipt`). The facade's log
 * ignores kinds it doesn't know; `appLog` is a second reader of the same array that knows them.
 */
import { publicKeyToAddress } from 'viem/accounts';
import { bytesToHex, getAddress, type Hex } from 'viem';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { CairnError, decodeKeyPackage, signingPath, type KeyPackage, type PublicPackage } from '../../core/index.ts';
import { hexToBytesStrict, toHex, utf8 } from '../../device/byteCodec.ts';
import type { DeviceIdentity } from '../../device/deviceIdentity.ts';
import type { ShareStore } from '../../device/shareStore.ts';
import { getCurrentEpoch } from '../../device/walletRecords.ts';
import type { Invite } from '../../net/invite.ts';
import { openWalletDoc, type WalletDoc } from '../../net/walletDoc.ts';
import type { IceConfig } from '../../net/iceConfig.ts';
import { DEFAULT_LOG_ENTRY_KINDS, openRequestLog, type LogEntry, type RequestLog } from '../../net/requestLog.ts';
import { BLAME_LOG_KIND } from '../../protocol/blame.ts';
import { QUORUM_LOG_KIND } from '../../protocol/signingRequestCodec.ts';
import { createGuardian, type Guardian, type GuardianEvent } from '../../protocol/guardian.ts';
import { VAULT_LOG_KINDS } from '../../protocol/vaultLogCodec.ts';
import { BACKUP_RESTORED_LOG_KIND } from '../../protocol/backupRestored.ts';
import type { SigningRequest } from '../../core/index.ts';
import { saveWalletInfo, type WalletInfo } from './walletInfo.ts';
import { guardianSigner } from './frostSigner.ts';
import { approvalCheck } from './approvalCheck.ts';
import { spendPolicyGate } from './policyService.ts';
import { loadSettings } from './settings.ts';
import { WalletRoomLink } from './walletRoomLink.ts';
import { getVaultAddress } from '../../chain/getVaultAddress.ts';

const APP_KINDS = ['profile', 'vault', 'receipt'] as const;
// Short enough that a quorum mismatch (devices briefly seeing approvals in another order) retries quickly.
const ROUND_TIMEOUT_MS = 20_000;
const BACKUP_APPROVAL_MS = 15_000;
const INVITE_TAKEN = "Another device has already joined with this invite link, so this device can't use it. Ask the guardian who sent it for a new invite.";

/** `stage: 'setup'` is a pair of guardians' one-time threshold-ECDSA setup before their first EOA signature. */
export type Progress = { stage?: 'setup' | 'signing'; round: number; rounds: number; label?: string };

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
  /** Pending roster during onboarding (creator first). */
  members: readonly string[];
  keygen?: Progress;
  problem?: string;
  /** A reshare removed this device: its share is gone. */
  left?: boolean;
  /** Something slow in progress (on-chain setup, refresh), or undefined. */
  busy?: string;
  epoch: number;
  requests: RequestState[];
  entries: LogEntry[];
  /** Device key → time of its latest signed presence in the room (ms; presence.ts). */
  seen: Record<string, number>;
  /** Guardians' devices connected to this one right now (WebRTC room peers). */
  peers: number;
  /** This device reaches a signaling server right now. */
  connected: boolean;
};

export class WalletSession {
  readonly store: ShareStore;
  readonly identity: DeviceIdentity;
  readonly guardian: Guardian;
  private doc: WalletDoc | undefined;
  private room: WalletRoomLink | undefined;
  private appLog: RequestLog | undefined;
  private info: WalletInfo;
  private snap: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly requestMeta = new Map<string, { progress?: Progress; status?: RequestState['status'] }>();
  private dkgSession: string | undefined;
  private readonly backupApprovals = new Set<string>();
  private members: readonly string[] = [];
  private readonly cleanups: (() => void)[] = [];
  private onKeyReady: ((s: WalletSession) => void) | undefined;

  constructor(p: { store: ShareStore; identity: DeviceIdentity; info: WalletInfo; onKeyReady?: (s: WalletSession) => void }) {
    this.store = p.store;
    this.identity = p.identity;
    this.info = p.info;
    this.onKeyReady = p.onKeyReady;
    this.snap = { info: p.info, self: p.identity.publicKey, phase: 'gathering', members: [], epoch: 0, requests: [], entries: [], seen: {}, peers: 0, connected: false };
    this.guardian = createGuardian({
      identity: p.identity,
      store: p.store,
      signalingUrls: loadSettings().signalingUrls,
      ice: loadSettings().ice,
      inviteTtlMs: 7 * 86_400_000,
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      policy: (request, meta) => spendPolicyGate(this, request, meta, approvalCheck(this, request, meta.requester)),
      connect: (c) => this.connect(c),
    });
    this.cleanups.push(this.guardian.on((e) => this.onGuardianEvent(e)));
  }

  /** The facade's network: the wallet's Y.Doc from IndexedDB, synced through the WebRTC room. */
  private async connect(c: { walletId: string; roomSecret: Uint8Array; signalingUrls: string[]; ice: IceConfig }) {
    const doc = openWalletDoc({ walletId: c.walletId });
    await doc.whenLoaded;
    this.doc = doc;
    this.appLog = openRequestLog({
      doc: doc.doc, identity: this.identity, members: [this.info.creator, this.identity.publicKey], scope: c.walletId,
      kinds: [...DEFAULT_LOG_ENTRY_KINDS, BLAME_LOG_KIND, QUORUM_LOG_KIND, ...VAULT_LOG_KINDS, BACKUP_RESTORED_LOG_KIND, ...APP_KINDS],
    });
    this.cleanups.push(this.appLog.subscribe((e) => this.onEntry(e)));
    const room = (this.room = new WalletRoomLink({ doc: doc.doc, walletId: c.walletId, signalingUrls: c.signalingUrls, ice: c.ice, identity: this.identity, onChange: () => this.changed() }));
    await room.join(c.roomSecret);
    return {
      doc: doc.doc,
      moveTo: (roomSecret: Uint8Array, followers: readonly string[]) => room.moveTo(roomSecret, followers),
      close: async () => {
        await room.leave();
        await doc.destroy();
      },
    };
  }

  // ——— opening ———

  async create(threshold: number, guardians: number): Promise<Invite[]> {
    const { invites } = await this.guardian.createWallet({ threshold, guardians });
    return invites;
  }

  async join(invite: Invite): Promise<void> {
    await this.guardian.join(invite);
  }

  /** Creator: after a key creation stopped (a guardian's page reloaded mid-way), runs it again with the same guardians. */
  retryKeyCreation(): void {
    try {
      this.guardian.retryWalletCreation();
      this.changed({ problem: undefined });
    } catch (err) {
      this.changed({ problem: err instanceof CairnError ? err.shortMessage : String(err) });
    }
  }

  /** After a reload: as a guardian, or — joined with an invite, not a guardian yet — in that joining state again. */
  async open(): Promise<void> {
    await this.guardian.reopen(this.info.walletId);
  }

  // ——— state for React ———

  snapshot = (): Snapshot => this.snap;
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  private changed(patch: Partial<Snapshot> = {}): void {
    this.snap = this.buildSnapshot(patch);
    for (const cb of [...this.listeners]) cb();
  }

  private buildSnapshot(patch: Partial<Snapshot>): Snapshot {
    const entries = this.appLog?.entries() ?? [];
    const receipts = new Map<string, Hex>();
    for (const e of entries) {
      if (e.kind !== 'receipt') continue;
      const r = parseJson<{ requestId: string; txHash: Hex }>(e.body);
      if (r) receipts.set(r.requestId, r.txHash);
    }
    const pub = this.guardian.wallet()?.pub;
    const needed = pub?.threshold ?? this.info.threshold;
    const times = new Map(entries.map((e) => [e.id, e.at]));
    const requests = this.guardian.requests().map((v): RequestState => {
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
    const seen = this.room?.seen() ?? {};
    const phase = pub ? 'ready' : this.dkgSession ? 'keygen' : 'gathering';
    return { ...this.snap, ...patch, info: this.info, phase, members: pub ? this.info.members : this.members, epoch: pub?.epoch ?? 0, requests, entries, seen, peers: this.room?.peers() ?? 0, connected: this.room?.connected() ?? false };
  }

  // ——— keys and info ———

  /** The public package of the current epoch (undefined until the DKG finished). */
  publicPackage(): PublicPackage | undefined {
    return this.guardian.wallet()?.pub;
  }

  /** This device's key package, read from the sealed store (paper backup). */
  async keyPackage(): Promise<KeyPackage | undefined> {
    const rec = await getCurrentEpoch(this.store, this.info.walletId);
    return rec ? decodeKeyPackage(rec.keyPackage) : undefined;
  }

  walletInfo(): WalletInfo {
    return this.info;
  }

  async updateInfo(patch: Partial<WalletInfo>): Promise<void> {
    this.info = { ...this.info, ...patch };
    await saveWalletInfo(this.store, this.info);
    this.changed();
  }

  setProblem(problem: string | undefined, busy?: string): void {
    this.changed({ problem, busy });
  }

  appendJson(kind: (typeof APP_KINDS)[number], value: unknown): void {
    this.appLog?.append(kind, utf8(JSON.stringify(value)));
  }

  // ——— events ———

  private onEntry(e: LogEntry): void {
    if ((e.kind === 'join' || e.kind === 'roster') && this.guardian.wallet()) this.showInvitedDevices();
    if (e.kind === 'profile') {
      const p = parseJson<{ name?: string; wallet?: string }>(e.body);
      if (p?.name) {
        const names = { ...this.info.names, [e.author]: p.name.slice(0, 60) };
        const name = e.author === this.info.creator && p.wallet && !this.info.name ? p.wallet.slice(0, 60) : this.info.name;
        void this.updateInfo({ names, name });
      }
    }
    if (e.kind === 'vault' && e.author === this.info.creator && !this.info.vault) {
      const v = parseJson<{ vault: string; chainId: number }>(e.body);
      const factory = loadSettings().chain?.vaultFactory;
      const groupKey = this.info.groupKey;
      // With a factory the address follows from the key: a creator's claim of another one is refused.
      const expected = factory && groupKey ? getVaultAddress({ factory, groupKey: hexToBytesStrict(groupKey, 'group key', 33) }) : undefined;
      if (v && expected && getAddress(v.vault) !== expected) this.snap = { ...this.snap, problem: `The creator announced a vault at ${v.vault}, but this wallet's vault is ${expected}. Ignored.` };
      else if (v) void this.updateInfo({ vault: getAddress(v.vault), chainId: v.chainId, registered: true });
    }
    this.changed();
  }

  /** Devices that joined with a guardian's invite (to be added by a reshare) may announce their names. */
  private showInvitedDevices(): void {
    // After the facade's own log has taken the entry in (it observes the same array after us).
    setTimeout(() => {
      const pub = this.guardian.wallet()?.pub;
      const invited = this.guardian.invitedDevices();
      if (!pub || !invited.length) return;
      const members = pub.roster.deviceKeys.map(toHex);
      this.appLog?.setMembers([...new Set([...members, ...(this.info.formerMembers ?? []), ...invited])]);
    }, 0);
  }

  private onGuardianEvent(e: GuardianEvent): void {
    switch (e.type) {
      case 'roster':
        this.members = e.members;
        this.appLog?.setMembers([...new Set([...e.members, this.identity.publicKey])]);
        break;
      case 'progress':
        if (e.protocol === 'dkg') {
          // A new attempt of the key creation (after a reload cut one short): the old problem is past.
          if (e.session !== this.dkgSession) this.snap = { ...this.snap, problem: undefined };
          this.dkgSession = e.session;
          this.snap = { ...this.snap, keygen: { round: e.round, rounds: e.rounds, label: e.label } };
        }
        if (e.protocol === 'frost-sign' || e.protocol === 'ecdsa-sign') {
          if (this.requestMeta.has(e.requestId)) this.requestMeta.set(e.requestId, { status: 'signing', progress: { stage: 'signing', round: e.round, rounds: e.rounds, label: e.label } });
        }
        // A pair's first threshold-ECDSA setup runs before the first EOA signature that needs it.
        if (e.protocol === 'ecdsa-setup') {
          const needed = this.guardian.wallet()?.pub.threshold ?? Infinity;
          for (const r of this.guardian.requests()) {
            const approved = r.approvers.length >= needed && !r.result && signingPath(r.request) === 'ecdsa';
            if (approved && this.requestMeta.get(r.requestId)?.progress?.stage !== 'signing')
              this.requestMeta.set(r.requestId, { status: 'signing', progress: { stage: 'setup', round: e.round, rounds: e.rounds } });
          }
        }
        break;
      case 'ready':
        void this.onReady(e.groupKey);
        break;
      case 'epoch': {
        const pub = this.guardian.wallet()!.pub;
        // A device added by a reshare (it joined with a guardian's invite) has its key now.
        if (!this.info.groupKey) void this.onReady(this.guardian.wallet()!.groupKey);
        const members = pub.roster.deviceKeys.map(toHex);
        const formerMembers = [...new Set([...(this.info.formerMembers ?? []), ...this.info.members.filter((k) => !members.includes(k))])];
        this.appLog?.setMembers([...members, ...formerMembers]);
        void this.updateInfo({ members, formerMembers, threshold: pub.threshold, guardians: members.length });
        this.approveOnboardingRequests();
        break;
      }
      case 'left':
        this.snap = { ...this.snap, left: true, problem: 'The other guardians removed this device from the wallet; its share was deleted. Nothing here can sign any more.' };
        break;
      case 'not-added':
        this.snap = { ...this.snap, left: true, problem: 'The guardians changed the wallet without adding this device. Its invite is used up, and any backup restored here was deleted (it belonged to the old shares). Ask a guardian for a new invite.' };
        break;
      case 'signing':
        this.trackSigning(e.requestId);
        break;
      case 'request':
        this.approveOnboardingRequests();
        break;
      case 'aborted':
        if (e.protocol === 'dkg') {
          this.dkgSession = undefined;
          const what = this.info.creator === this.identity.publicKey
            ? 'When every guardian has Cairn open again, start it again below.'
            : "The wallet's creator can start it again; keep this page open.";
          this.snap = { ...this.snap, problem: `Creating the key stopped (${e.reason}). ${what}` };
        }
        break;
      case 'invite-taken':
        // Not a guardian of this wallet, like a device left out by a reshare (it flips back if a sync says otherwise).
        if (e.taken) this.snap = { ...this.snap, left: true, problem: INVITE_TAKEN };
        else if (this.snap.problem === INVITE_TAKEN) this.snap = { ...this.snap, left: false, problem: undefined };
        break;
      case 'creation-interrupted':
        this.dkgSession = undefined;
        this.snap = { ...this.snap, problem: "This page was reloaded while the key was being created, so this device's part of it was lost. The wallet's creator can start it again for everyone; keep this page open." };
        break;
    }
    this.changed();
  }

  private async onReady(groupKeyHex: string): Promise<void> {
    const pub = this.guardian.wallet()!.pub;
    const members = pub.roster.deviceKeys.map(toHex);
    // The history shows entries of guardians a reshare removed, too (the facade's own log doesn't).
    this.appLog?.setMembers([...new Set([...members, ...(this.info.formerMembers ?? [])])]);
    const eoa = publicKeyToAddress(bytesToHex(secp256k1.Point.fromBytes(hexToBytesStrict(groupKeyHex, 'group key', 33)).toBytes(false)));
    await this.updateInfo({ members, groupKey: groupKeyHex, eoa });
    this.approveOnboardingRequests();
    const after = this.onKeyReady;
    this.onKeyReady = undefined;
    after?.(this);
  }

  private trackSigning(requestId: string): void {
    const tracked = this.guardian.requests().find((r) => r.requestId === requestId);
    // Until the run's own progress events arrive (they carry the request id).
    if (tracked && signingPath(tracked.request) === 'ecdsa') this.requestMeta.set(requestId, { status: 'signing' });
    else this.requestMeta.set(requestId, { status: 'signing', progress: { stage: 'signing', round: 1, rounds: 2, label: 'nonce commitments' } });
  }

  /**
   * Wallet bookkeeping on chain: the creator's registration and a refresh's epoch advance. Every
   * guardian checks such a request field by field (approvalCheck) and co-signs without a click.
   * It may arrive before this device's DKG or refresh finished, so this runs again then.
   */
  private approveOnboardingRequests(): void {
    const pub = this.guardian.wallet()?.pub;
    if (!pub) return;
    for (const r of this.guardian.requests()) {
      const onboarding = r.request.type === 'registry-register' && r.requester === this.info.creator;
      const epochAdvance = r.request.type === 'registry-advance-epoch' && r.request.epoch + 1n === BigInt(r.epoch);
      if (!(onboarding || epochAdvance) || r.requester === this.identity.publicKey || r.result) continue;
      if (r.approvers.includes(this.identity.publicKey) || r.epoch !== this.guardian.wallet()!.pub.epoch) continue;
      // Exactly t approvals (the requester's and those of the t−1 guardians after it in key order):
      // with more, devices that see them in different log orders pick different quorums and stall.
      const others = pub.roster.deviceKeys.map(toHex).filter((k) => k !== r.requester).sort();
      const designated = others.slice(0, pub.threshold - 1).includes(this.identity.publicKey);
      const approve = () => {
        const now = this.guardian.requests().find((x) => x.requestId === r.requestId);
        if (!now || now.result || now.approvers.includes(this.identity.publicKey)) return;
        if (this.snap.requests.some((x) => x.id === r.requestId && x.status === 'sent')) return; // done without us
        void this.guardian.approve(r.requestId).catch((err) => this.setProblem(`Did not co-sign the ${r.request.type === 'registry-register' ? 'registration' : 'epoch change'}: ${errorText(err)}`));
      };
      if (designated) approve();
      else if (!this.backupApprovals.has(r.requestId)) {
        this.backupApprovals.add(r.requestId);
        setTimeout(approve, BACKUP_APPROVAL_MS); // a designated guardian is offline: step in
      }
    }
  }

  /** A FROST signer for the chain helpers; `onRequest` learns the log request id. */
  signer(onRequest?: (id: string) => void) {
    const w = this.guardian.wallet();
    if (!w) throw new Error('The wallet has no key yet');
    return guardianSigner({ guardian: this.guardian, groupKey: hexToBytesStrict(w.groupKey, 'group key', 33), onRequest });
  }

  async destroy(): Promise<void> {
    for (const c of this.cleanups.splice(0)) c();
    this.appLog?.destroy();
    await this.guardian.close();
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

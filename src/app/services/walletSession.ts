/**
 * One open wallet on this device, as the UI sees it. The protocol work — onboarding and DKG,
 * signing requests and approvals, refresh — is the guardian facade's (`src/protocol/guardian.ts`);
 * this class connects it to the network (Y.Doc persisted in IndexedDB + the WebRTC room), keeps a
 * snapshot for React (`sessionSnapshot.ts`), and adds the app's own entries to the same signed log
 * (`appLogEntries.ts`). Registry co-signing and presence have their own files.
 */
import { publicKeyToAddress } from 'viem/accounts';
import { bytesToHex } from 'viem';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { CairnError, decodeKeyPackage, signingPath, type KeyPackage, type PublicPackage, type SigningRequest } from '../../core/index.ts';
import { hexToBytesStrict, toHex, utf8 } from '../../device/byteCodec.ts';
import type { DeviceIdentity } from '../../device/deviceIdentity.ts';
import type { ShareStore } from '../../device/shareStore.ts';
import { getCurrentEpoch } from '../../device/walletRecords.ts';
import type { Invite } from '../../net/invite.ts';
import { openWalletDoc, type WalletDoc } from '../../net/walletDoc.ts';
import type { IceConfig } from '../../net/iceConfig.ts';
import { openRequestLog, type LogEntry, type RequestLog } from '../../net/requestLog.ts';
import { createGuardian, type Guardian, type GuardianEvent } from '../../protocol/guardian.ts';
import { saveWalletInfo, type WalletInfo } from './walletInfo.ts';
import { guardianSigner } from './frostSigner.ts';
import { approvalCheck } from './approvalCheck.ts';
import { staleNonceReason, usedNonces } from './usedNonces.ts';
import { policyFor, spendPolicyGate } from './policyService.ts';
import { loadSettings } from './settings.ts';
import { waitForRegistryEpoch } from './registryCommit.ts';
import { keepRegistryInStep } from './epochOnChain.ts';
import { APP_LOG_KINDS, readAppEntry, type AppLogKind } from './appLogEntries.ts';
import { coSignRegistryRequests } from './registryCoSigning.ts';
import { buildSnapshot, type RequestMeta, type Snapshot } from './sessionSnapshot.ts';
import { WalletRoomLink } from './walletRoomLink.ts';

// Short enough that a quorum mismatch (devices briefly seeing approvals in another order) retries quickly.
const ROUND_TIMEOUT_MS = 20_000;
const INVITE_TAKEN = "Another device has already joined with this invite link, so this device can't use it. Ask the guardian who sent it for a new invite.";

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
  private readonly requestMeta = new Map<string, RequestMeta>();
  private dkgSession: string | undefined;
  private readonly backupApprovals = new Set<string>();
  private members: readonly string[] = [];
  private closed = false;
  private readonly cleanups: (() => void)[] = [];
  private onKeyReady: ((s: WalletSession) => void) | undefined;

  constructor(p: { store: ShareStore; identity: DeviceIdentity; info: WalletInfo; onKeyReady?: (s: WalletSession) => void }) {
    this.store = p.store;
    this.identity = p.identity;
    this.info = p.info;
    this.onKeyReady = p.onKeyReady;
    this.snap = {
      info: p.info,
      self: p.identity.publicKey,
      phase: 'gathering',
      members: [],
      epoch: 0,
      requests: [],
      entries: [],
      seen: {},
      peers: 0,
      connected: false,
    };
    this.guardian = createGuardian({
      identity: p.identity,
      store: p.store,
      signalingUrls: loadSettings().signalingUrls,
      ice: loadSettings().ice,
      inviteTtlMs: 7 * 86_400_000,
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      policy: (request, meta) => spendPolicyGate(this, request, meta, approvalCheck(this, request, meta.requester)),
      staleReason: (request, requestId) => this.staleReason(request, requestId),
      connect: (c) => this.connect(c),
      commitGate: (_walletId, epoch) =>
        waitForRegistryEpoch(
          () => this.info,
          epoch,
          () => this.closed,
        ),
      keyChangePolicy: (s) => {
        const hold = policyFor(this).keyChangeHold(s);
        return hold ? { allow: false, reason: hold.message } : { allow: true };
      },
    });
    this.cleanups.push(this.guardian.on((e) => this.onGuardianEvent(e)));
  }

  /** The facade's network: the wallet's Y.Doc from IndexedDB, synced through the WebRTC room. */
  private async connect(c: { walletId: string; roomSecret: Uint8Array; signalingUrls: string[]; ice: IceConfig }) {
    const doc = openWalletDoc({ walletId: c.walletId });
    await doc.whenLoaded;
    this.doc = doc;
    this.appLog = openRequestLog({
      doc: doc.doc,
      identity: this.identity,
      members: [this.info.creator, this.identity.publicKey],
      scope: c.walletId,
      kinds: APP_LOG_KINDS,
    });
    this.cleanups.push(this.appLog.subscribe((e) => this.onEntry(e)));
    const room = (this.room = new WalletRoomLink({
      doc: doc.doc,
      walletId: c.walletId,
      signalingUrls: c.signalingUrls,
      ice: c.ice,
      identity: this.identity,
      onChange: () => this.changed(),
    }));
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
    return buildSnapshot({
      previous: this.snap,
      patch,
      info: this.info,
      guardian: this.guardian,
      entries: this.appLog?.entries() ?? [],
      requestMeta: this.requestMeta,
      dkgSession: this.dkgSession,
      members: this.members,
      seen: this.room?.seen() ?? {},
      peers: this.room?.peers() ?? 0,
      connected: this.room?.connected() ?? false,
    });
  }

  // ——— keys and info ———

  /** The public package of the current epoch (undefined until the DKG finished). */
  /** A payment whose nonce a sent payment used fails for everyone (`usedNonces.ts`). */
  private staleReason(request: SigningRequest, requestId: string): string | undefined {
    const pub = this.guardian.wallet()?.pub;
    if (!pub || !this.appLog) return undefined;
    const entries = this.appLog.entries();
    // Asked for every request on every log change: recomputed only when the log or the epoch moved.
    const key = `${entries.length}:${pub.epoch}`;
    if (this.used?.key !== key) this.used = { key, nonces: usedNonces(entries, pub.roster.deviceKeys.map(toHex), pub.threshold) };
    return staleNonceReason(this.used.nonces, request, requestId);
  }

  private used: { key: string; nonces: ReturnType<typeof usedNonces> } | undefined;

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

  /** Guardians (device keys) this device banned from threshold-ECDSA setups after a failed check; [] before the wallet opens. */
  ecdsaBannedPeers(): string[] {
    try {
      return this.guardian.ecdsaSetups().bannedPeers();
    } catch {
      return []; // no wallet open yet
    }
  }

  /** A person allows threshold-ECDSA setups with a guardian this device banned after a failed check. */
  async allowEcdsaSetupAgain(peer: string): Promise<void> {
    await this.guardian.ecdsaSetups().unban(peer);
    this.changed({ problem: undefined });
  }

  setProblem(problem: string | undefined, busy?: string): void {
    this.changed({ problem, busy });
  }

  appendJson(kind: AppLogKind, value: unknown): void {
    this.appLog?.append(kind, utf8(JSON.stringify(value)));
  }

  // ——— events ———

  private onEntry(e: LogEntry): void {
    if ((e.kind === 'join' || e.kind === 'roster') && this.guardian.wallet()) this.showInvitedDevices();
    const read = readAppEntry(e, this.info);
    if (read && 'problem' in read) this.snap = { ...this.snap, problem: read.problem };
    else if (read) void this.updateInfo(read.info);
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
        if (e.protocol === 'refresh' || e.protocol === 'reshare')
          this.snap = { ...this.snap, keyChangeProgress: { id: e.requestId, round: e.round, rounds: e.rounds } };
        if (e.protocol === 'frost-sign' || e.protocol === 'ecdsa-sign') {
          if (this.requestMeta.has(e.requestId))
            this.requestMeta.set(e.requestId, { status: 'signing', progress: { stage: 'signing', round: e.round, rounds: e.rounds, label: e.label } });
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
        this.snap = { ...this.snap, keyChangeProgress: undefined };
        const pub = this.guardian.wallet()!.pub;
        // A device added by a reshare (it joined with a guardian's invite) has its key now.
        if (!this.info.groupKey) void this.onReady(this.guardian.wallet()!.groupKey);
        const members = pub.roster.deviceKeys.map(toHex);
        const formerMembers = [...new Set([...(this.info.formerMembers ?? []), ...this.info.members.filter((k) => !members.includes(k))])];
        this.appLog?.setMembers([...members, ...formerMembers]);
        void this.updateInfo({ members, formerMembers, threshold: pub.threshold, guardians: members.length });
        this.approveOnboardingRequests();
        keepRegistryInStep(this, (message) => this.setProblem(message));
        break;
      }
      case 'stranded':
        this.snap = {
          ...this.snap,
          problem:
            'The other guardians moved to new shares while this device was away, and it missed its part. Ask them to replace this device (Guardians → Change who guards the wallet).',
        };
        break;
      case 'left':
        this.snap = {
          ...this.snap,
          left: true,
          problem: 'The other guardians removed this device from the wallet; its share was deleted. Nothing here can sign any more.',
        };
        break;
      case 'not-added':
        this.snap = {
          ...this.snap,
          left: true,
          problem:
            'The guardians changed the wallet without adding this device. Its invite is used up, and any backup restored here was deleted (it belonged to the old shares). Ask a guardian for a new invite.',
        };
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
          const what =
            this.info.creator === this.identity.publicKey
              ? 'When every guardian has Cairn open again, start it again below.'
              : "The wallet's creator can start it again; keep this page open.";
          this.snap = { ...this.snap, problem: `Creating the key stopped (${e.reason}). ${what}` };
        }
        if (e.protocol === 'refresh' || e.protocol === 'reshare') this.snap = { ...this.snap, keyChangeProgress: undefined };
        break;
      case 'invite-taken':
        // Not a guardian of this wallet, like a device left out by a reshare (it flips back if a sync says otherwise).
        if (e.taken) this.snap = { ...this.snap, left: true, problem: INVITE_TAKEN };
        else if (this.snap.problem === INVITE_TAKEN) this.snap = { ...this.snap, left: false, problem: undefined };
        break;
      case 'ecdsa-sign-failed': {
        // Shown to the person, naming the guardians the other devices' checks point at (never a secret).
        const who = e.culprits.map((k) => this.info.names[k] ?? 'a guardian').join(', ');
        this.snap = {
          ...this.snap,
          problem: `A signature from the plain address failed (${e.reason})${who ? `; it points at ${who}` : ''}. Ask again to retry.`,
        };
        break;
      }
      case 'ecdsa-peer-banned':
        this.snap = {
          ...this.snap,
          problem: `${this.info.names[e.peer] ?? 'A guardian'} failed a security check while setting up signing for the plain address (${e.reason}). This device will not set up plain-address signing with it again until you allow it on the Guardians page.`,
        };
        break;
      case 'creation-interrupted':
        this.dkgSession = undefined;
        this.snap = {
          ...this.snap,
          problem:
            "This page was reloaded while the key was being created, so this device's part of it was lost. The wallet's creator can start it again for everyone; keep this page open.",
        };
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
    else this.requestMeta.set(requestId, { status: 'signing', progress: { stage: 'signing', round: 1, rounds: 2, label: 'getting ready' } });
  }

  /** Co-signs the registry's bookkeeping requests (`registryCoSigning.ts`). */
  private approveOnboardingRequests(): void {
    coSignRegistryRequests({
      guardian: this.guardian,
      creator: this.info.creator,
      self: this.identity.publicKey,
      backupApprovals: this.backupApprovals,
      sent: (requestId) => this.snap.requests.some((x) => x.id === requestId && x.status === 'sent'),
      onError: (message) => this.setProblem(message),
    });
  }

  /** A FROST signer for the chain helpers; `onRequest` learns the log request id. */
  signer(onRequest?: (id: string) => void) {
    const w = this.guardian.wallet();
    if (!w) throw new Error('The wallet has no key yet');
    return guardianSigner({ guardian: this.guardian, groupKey: hexToBytesStrict(w.groupKey, 'group key', 33), onRequest });
  }

  async destroy(): Promise<void> {
    this.closed = true;
    for (const c of this.cleanups.splice(0)) c();
    this.appLog?.destroy();
    await this.guardian.close();
  }
}

/**
 * The guardian facade the app uses: one device, one wallet at a time.
 *
 *     const g = createGuardian({ identity, store, connect });
 *     const { invites } = await g.createWallet({ threshold: 2, guardians: 3 });   // creator
 *     await g.join(invite);                                                      // others
 *     await g.whenReady();                        // DKG ran, every guardian confirmed the same key
 *     const { signature } = await g.requestSignature(request);   // others: g.approve(requestId)
 *
 * Onboarding: the creator's `roster` entry lists the invites it issued; each join adds its author to
 * the pending roster (`walletCreation.ts`); when all n are in, every device starts the DKG by itself
 * (same roster, same request id ⇒ same session). The result is stored as the current epoch only
 * after the confirmation round showed every guardian computed the same public package.
 * The network is injected (`connect` returns the wallet's Y.Doc: y-webrtc in the browser, the
 * memory hub in tests); so are storage (the share store) and time (`clock`).
 *
 * This file holds the public API and the ready / close / open-as-holder glue; its parts get the
 * shared state through an explicit context (`guardianState.ts`): the log and coordinators in
 * `guardianConnection.ts`, onboarding in `guardianOnboarding.ts`, a device joining an existing
 * wallet in `guardianJoining.ts`.
 */
import type * as Y from 'yjs';
import {
  CairnError,
  signingPath,
  decodeKeyPackage,
  decodePublicPackage,
  groupKeyOf,
  type KeyPackage,
  type PublicPackage,
  type SigningRequest,
} from '../core/index.ts';
import { toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { getCurrentEpoch } from '../device/walletRecords.ts';
import { createInvite, type Invite } from '../net/invite.ts';
import { mergeIceConfigs, noIceServers, type IceConfig } from '../net/iceConfig.ts';
import type { RequestLog } from '../net/requestLog.ts';
import { systemClock, type Clock } from './clock.ts';
import type { FrostSignResult } from './descriptors/frostSign.ts';
import type { ProtocolEvent } from './events.ts';
import type { ActingDealer } from './epochAnnouncement.ts';
import type { EpochCoordinator, EpochOutcome, KeyChangeEvent } from './epochCoordinator.ts';
import type { KeyChangeStatus } from './keyChangeApproval.ts';
import { promotedBy } from './epochCommit.ts';
import type { RunnerEnv } from './roundRunner.ts';
import type { PolicyHook, PolicyVerdict, SigningCoordinator, SigningEvent, StaleReason } from './signingCoordinator.ts';
import type { CloseHow } from './submissionCodec.ts';
import { CREATION_LOG_KIND, inviteHash } from './walletCreation.ts';
import { deleteCreationRecord, loadCreationRecord } from './creationRecord.ts';
import { encodeAddInvite, invitedDevices } from './guardianInvite.ts';
import { connectWallet } from './guardianConnection.ts';
import { createGuardianJoining } from './guardianJoining.ts';
import { createGuardianOnboarding } from './guardianOnboarding.ts';
import { deleteUnusedNonces, type GuardianContext, type GuardianState, type ReadySignal } from './guardianState.ts';
import { loadWalletRoom, requireSignaling, type WalletRoom } from './walletRoomRecord.ts';
import type { SecretsCoordinator, SecretsEvent } from './secretsCoordinator.ts';
import type { ProtocolDescriptor } from './descriptor.ts';
import type { SecretsOpenParams, SecretsOpenResult } from './descriptors/secretsOpen.ts';
import type { EcdsaSetupParams } from './descriptors/ecdsaSetup.ts';
import type { PairwiseSetup } from '../core/ecdsa/index.ts';
import type { EcdsaSetupEvent } from './ecdsaCoordinator.ts';
import { deleteJoiningRecord, loadJoiningRecord } from './joiningRecord.ts';

export type WalletConnection = {
  readonly doc: Y.Doc;
  close(): Promise<void>;
  /**
   * Leaves the current room for the one of `roomSecret`, keeping the doc (`roomRotation.ts`); may
   * first wait (bounded) for `followers` present in the current room to be moving too. Without it,
   * the device stays put.
   */
  moveTo?(roomSecret: Uint8Array, followers: readonly string[]): Promise<void>;
};
export type Connect = (p: { walletId: string; roomSecret: Uint8Array; signalingUrls: string[]; ice: IceConfig }) => Promise<WalletConnection>;

export type GuardianEvent =
  | ProtocolEvent
  | SigningEvent
  | SecretsEvent
  | EcdsaSetupEvent
  | KeyChangeEvent
  | { type: 'roster'; members: readonly string[]; needed: number }
  | { type: 'ready'; walletId: string; groupKey: string; threshold: number; guardians: number }
  /** A refresh or reshare was promoted: this device now signs with the shares of `epoch`. */
  | { type: 'epoch'; walletId: string; epoch: number }
  /** A reshare left this device out: its share was deleted. */
  | { type: 'left'; walletId: string }
  /** This joining device was not added: the wallet moved to a newer epoch without it (its joining record and restored backups were deleted). */
  | { type: 'not-added'; walletId: string }
  /**
   * A reload cut this joiner's part of the key creation short (its DKG secrets are gone): it doesn't
   * run that attempt again and waits for the creator to start the next (`retryWalletCreation`).
   */
  | { type: 'creation-interrupted'; walletId: string }
  /** Another device joined first with the invite this device used (`taken`), or no longer appears to (`!taken`, after sync). */
  | { type: 'invite-taken'; walletId: string; taken: boolean };

export type WalletInfo = { walletId: string; pub: PublicPackage; groupKey: string };

export type CreateGuardianParameters = {
  identity: DeviceIdentity;
  /** Unlocked share store (sealed records). */
  store: ShareStore;
  connect: Connect;
  clock?: Clock;
  /** Per-round timeout before silent guardians are blamed. Default 20 s. */
  roundTimeoutMs?: number;
  policy?: PolicyHook;
  /** Why a request can no longer go through, from what the app knows beyond the log (a used nonce), else undefined. */
  staleReason?: StaleReason;
  /** A new wallet's signaling URLs (written into its invites). Required to create a wallet: there is no default server. */
  signalingUrls?: string[];
  /** A new wallet's STUN/TURN servers (written into its invites). Default: none. */
  ice?: IceConfig;
  inviteTtlMs?: number;
  /** How long `reopen` waits for the log to show a joining (or gathering) device's own entries again. Default 60 s. */
  rejoinTimeoutMs?: number;
  /** Test seam: wraps the log (adversarial tests tamper with what this device sends). */
  wrapLog?: (log: RequestLog) => RequestLog;
  /** Test seam: adversarial vault tests wrap the vault-open descriptor. */
  secretsOpenDescriptor?: ProtocolDescriptor<SecretsOpenParams, SecretsOpenResult>;
  /**
   * When the DKLs23 pairwise setups (EOA signing) run: 'after-dkg' sets every pair up once the wallet is ready
   * (≈ 3 s CPU per peer per device); 'on-demand' (default) waits for the first EOA request that needs them.
   */
  ecdsaSetup?: 'after-dkg' | 'on-demand';
  /** Test seam: adversarial ECDSA tests wrap the pairwise-setup descriptor. */
  ecdsaSetupDescriptor?: ProtocolDescriptor<EcdsaSetupParams, PairwiseSetup>;
  /**
   * Where a new epoch is also committed outside the log (the registry on chain): a guardian that
   * leaves deletes its share only once this resolves for the new epoch. Default: the log's commit.
   */
  commitGate?: (walletId: string, epoch: number) => Promise<void>;
  /** This device's own rules for key changes (e.g. a waiting time), checked before its approval goes out. */
  keyChangePolicy?: (s: KeyChangeStatus) => PolicyVerdict;
};

export function createGuardian(p: CreateGuardianParameters) {
  const clock = p.clock ?? systemClock;
  const self = p.identity.publicKey;
  const listeners = new Set<(e: GuardianEvent) => void>();
  const emit = (e: GuardianEvent) => {
    for (const cb of [...listeners]) cb(e);
  };
  const s: GuardianState = {
    conn: undefined,
    log: undefined,
    router: undefined,
    coordinator: undefined,
    refresher: undefined,
    vault: undefined,
    ecdsa: undefined,
    current: undefined,
    onboarding: undefined,
    creating: undefined,
    newcomer: undefined,
    joiningSaved: undefined,
    stopWatchingJoins: undefined,
    stopOnboarding: undefined,
    rotation: undefined,
    ready: newReady(),
  };
  const ctx: GuardianContext = { p, self, clock, s, emit, connectTo, close, becomeReady, resetReady, invitedFor, showInvited };
  const joining = createGuardianJoining(ctx);
  const onboarder = createGuardianOnboarding(ctx, joining);

  function newReady(): ReadySignal {
    let resolve!: (w: WalletInfo) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<WalletInfo>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined); // observed through whenReady()
    return { promise, resolve, reject };
  }

  function resetReady(): void {
    s.ready = newReady();
  }

  function connectTo(room: WalletRoom, members: string[]): Promise<{ log: RequestLog; env: RunnerEnv }> {
    return connectWallet(ctx, joining, room, members);
  }

  function invitedFor(pub: PublicPackage | undefined): string[] {
    return s.log && pub ? invitedDevices(s.log.entries(), pub.roster.deviceKeys.map(toHex), toHex(pub.walletId)) : [];
  }

  /** Holders see the entries of devices they invited (joined, not yet guardians). */
  function showInvited(): void {
    const { log, current } = s;
    if (!log || !current) return;
    const invited = invitedFor(current.pub);
    if (invited.length) log.setMembers([...current.pub.roster.deviceKeys.map(toHex), ...invited]);
  }

  function becomeReady(walletId: string, key: KeyPackage): WalletInfo {
    s.current = { pub: key.public, key, walletId };
    s.log!.setMembers(key.public.roster.deviceKeys.map(toHex));
    showInvited();
    const info = { walletId, pub: key.public, groupKey: toHex(groupKeyOf(key.public)) };
    emit({ type: 'ready', walletId, groupKey: info.groupKey, threshold: key.public.threshold, guardians: key.public.roster.deviceKeys.length });
    void s.ecdsa!.ready().then(() => s.coordinator?.reevaluate());
    s.coordinator!.reevaluate();
    s.refresher!.reevaluate();
    s.vault!.reevaluate();
    s.rotation?.afterCreation(key.public);
    s.rotation?.reevaluate();
    s.ready.resolve(info);
    return info;
  }

  return {
    publicKey: self,
    on(cb: (e: GuardianEvent) => void): () => void {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },

    /** Creator: opens a new wallet's log and issues n−1 single-use invites. */
    createWallet: onboarder.createWallet,

    /** Creator, after a DKG aborted: runs it again with the same guardians (everyone must be back online). */
    retryWalletCreation: onboarder.retryWalletCreation,

    /**
     * A guardian invites another device into the existing wallet. Once it has joined, any guardian
     * makes it a holder with `reshare([...guardians, itsKey], t)` (same key and address).
     */
    async inviteGuardian(): Promise<Invite> {
      const { log, current } = s;
      if (!log || !current) throw new CairnError('NOT_FOUND', 'This device holds no share of a wallet');
      const room = await loadWalletRoom(p.store, current.walletId);
      const n = current.pub.roster.deviceKeys.length;
      const invite = createInvite({
        walletId: current.walletId,
        roomSecret: room.roomSecret,
        signalingUrls: requireSignaling(room.signalingUrls),
        ice: mergeIceConfigs(room.ice, p.ice ?? noIceServers()),
        inviter: self,
        threshold: current.pub.threshold,
        guardians: Math.min(n + 1, 255),
        expiresAt: clock.now() + (p.inviteTtlMs ?? 24 * 3600_000),
      });
      log.append(CREATION_LOG_KIND, encodeAddInvite({ walletId: current.walletId, inviteHash: inviteHash(invite.inviteId), pub: current.pub }));
      return invite;
    },
    /** Devices that joined with an invite from a guardian and can be added by a reshare. */
    invitedDevices: (): string[] => (s.current ? invitedFor(s.current.pub) : []),

    /** Joiner: enters the room of an invite and asks to join (single use). */
    join: onboarder.join,

    /** After a reload: reconnects to a wallet whose share is in the store. */
    open: openAsHolder,

    /**
     * After a reload: reopens this device's wallet — as a guardian when it holds a share (`open`),
     * else in the joining state it was in (`joiningRecord.ts`): same room, and the inviter's public
     * package once the log shows the same add invite and this device's join again. A restored
     * backup (sealed record, `backup-restored` entry in the log) stays usable for the reshare.
     */
    async reopen(
      walletId: string,
    ): Promise<
      | { wallet: WalletInfo; joining?: undefined; gathering?: undefined }
      | { joining: PublicPackage; wallet?: undefined; gathering?: undefined }
      | { gathering: true; wallet?: undefined; joining?: undefined }
    > {
      if (await getCurrentEpoch(p.store, walletId)) return { wallet: await openAsHolder(walletId) };
      const record = await loadJoiningRecord(p.store, walletId);
      if (!record) {
        const gathering = await loadCreationRecord(p.store, walletId);
        if (!gathering) throw new CairnError('NOT_FOUND', 'This device holds no share of that wallet and is not joining it');
        await onboarder.reopenGathering(walletId, gathering);
        return { gathering: true };
      }
      return { joining: await joining.reopenJoining(walletId, record) };
    },

    whenReady: () => s.ready.promise,
    wallet: (): WalletInfo | undefined => s.current && { walletId: s.current.walletId, pub: s.current.pub, groupKey: toHex(groupKeyOf(s.current.pub)) },

    requestSignature(request: SigningRequest): Promise<{ requestId: string; signature: Promise<FrostSignResult> }> {
      if (!s.coordinator) throw new CairnError('NOT_FOUND', 'No wallet open');
      return s.coordinator.request(request);
    },
    approve: (requestId: string) => requireCoordinator().approve(requestId),
    deny: (requestId: string, reason: string) => requireCoordinator().deny(requestId, reason),
    /** The requester takes its own request back (ends it as withdrawn for everyone). */
    withdraw: (requestId: string, reason?: string) => requireCoordinator().withdraw(requestId, reason),
    /** The requester: sending its signed request failed (ends it as failed for everyone, with `reason`). */
    reportSubmissionFailed: (requestId: string, reason: string) => requireCoordinator().reportSubmissionFailed(requestId, reason),
    /** Any guardian: closes a request whose sending failed, as it is or because it is asked again. */
    closeFailed: (requestId: string, how: CloseHow) => requireCoordinator().closeFailed(requestId, how),
    result: (requestId: string) => requireCoordinator().result(requestId),
    /**
     * Proposes a proactive refresh of every holder's share (same key and address). Nothing runs until
     * t guardians approved it (`approveKeyChange` on their devices; the proposal is this device's
     * approval); resolves once the new epoch is committed and promoted here.
     */
    refresh(): Promise<EpochOutcome> {
      if (!s.refresher) throw new CairnError('NOT_FOUND', 'No wallet open');
      return s.refresher.refresh();
    },
    /**
     * Proposes a reshare to other holders and/or another threshold (same key and address), approved
     * like a refresh. Dealers default to every current holder; to replace a lost device, pass the
     * holders still there (at least t).
     */
    reshare(newHolders: string[], newThreshold: number, dealers?: string[], actors?: ActingDealer[]): Promise<EpochOutcome> {
      if (!s.refresher) throw new CairnError('NOT_FOUND', 'No wallet open');
      return s.refresher.reshare(newHolders, newThreshold, dealers, actors);
    },

    /** Guardians of the current epoch whose devices haven't said they hold its share yet (after a refresh or reshare). */
    catchingUp: (): string[] => {
      const pub = s.current?.pub;
      const promoted = pub && s.log ? promotedBy(s.log.entries(), pub.epoch) : undefined;
      return promoted ? pub!.roster.deviceKeys.map(toHex).filter((k) => !promoted.has(k)) : [];
    },
    /** Key-change proposals for the current epoch: decoded, with approvals, denials and state. */
    keyChanges: (): KeyChangeStatus[] => s.refresher?.statuses() ?? [],
    /** This device's person approves a key-change proposal (after seeing it decoded). */
    approveKeyChange: (id: string): void => requireRefresher().approve(id),
    /** Denies a key-change proposal; the proposer's own denial withdraws it. */
    denyKeyChange: (id: string, reason: string): void => requireRefresher().deny(id, reason),
    /** Resolves when a key-change proposal is committed on this device (rejects if it fails or closes). */
    keyChangeOutcome: (id: string): Promise<EpochOutcome> => requireRefresher().outcome(id),

    /**
     * A device that joined with an add invite (no share yet) restores a lost guardian's paper backup:
     * the words are checked against the public package its inviter published; the share is kept
     * sealed in the store and a `backup-restored` entry (with a proof of knowledge) lets a reshare
     * name this device as dealing in that guardian's place. Returns the lost guardian's device key.
     */
    restoreBackup: joining.restoreBackup,
    /** The creator, until the key is made: the invites it issued (kept sealed; shown again after a reload) and whether a join used each. */
    creatorInvites: onboarder.creatorInvites,
    /** For a device that joined with an add invite and holds no share yet: the wallet's public package. */
    joiningWallet: (): PublicPackage | undefined => (s.current ? undefined : s.newcomer),
    /** Verified restored backups of the current epoch (holders: to offer them as dealers). */
    restoredBackups: joining.restoredBackups,
    /** Signing requests, decoded, with approvals, denials and where each stands (waiting … signed, denied, withdrawn, expired, failed). */
    requests: () => s.coordinator?.requests() ?? [],
    /**
     * The wallet's plain EOA (group key's address) as a signer for `guardianEoaAccount` (src/chain, a viem account):
     * each call appends a typed `eoa-transaction` / `eoa-message` request, waits for t approvals (policy hook as
     * for vault requests) and the guardians' DKLs23 run, and resolves with r ‖ s ‖ yParity.
     */
    eoaSigner(): { groupKey: Uint8Array; request: (request: SigningRequest) => Promise<FrostSignResult> } {
      if (!s.current) throw new CairnError('NOT_FOUND', 'No wallet open');
      return {
        groupKey: groupKeyOf(s.current.pub),
        request: async (request) => {
          if (signingPath(request) !== 'ecdsa') throw new CairnError('BAD_PARAMETERS', 'The EOA signs eoa-transaction and eoa-message requests only');
          return (await requireCoordinator().request(request)).signature;
        },
      };
    },
    /** DKLs23 pairwise setups of the open wallet (ready peers; ask for a fresh setup; bans and lifting one). */
    ecdsaSetups() {
      if (!s.ecdsa) throw new CairnError('NOT_FOUND', 'No wallet open');
      return { readyPeers: s.ecdsa.readyPeers, requestSetup: s.ecdsa.requestSetup, bannedPeers: s.ecdsa.bannedPeers, unban: s.ecdsa.unban };
    },
    /** Family-vault secrets of the open wallet (store, request, approve, deny, plaintext). */
    secrets(): SecretsCoordinator {
      if (!s.vault) throw new CairnError('NOT_FOUND', 'No wallet open');
      return s.vault;
    },
    /** The request log (read-only use: audit views, tests). */
    log: () => s.log,

    close,
  };

  async function close(): Promise<void> {
    s.stopOnboarding?.();
    s.stopWatchingJoins?.();
    s.rotation?.destroy();
    s.coordinator?.destroy();
    s.refresher?.destroy();
    s.vault?.destroy();
    s.ecdsa?.destroy();
    s.router?.destroy();
    s.log?.destroy();
    await s.conn?.close();
    await s.joiningSaved?.catch(() => undefined);
    s.conn =
      s.log =
      s.router =
      s.coordinator =
      s.refresher =
      s.vault =
      s.ecdsa =
      s.current =
      s.onboarding =
      s.newcomer =
      s.joiningSaved =
      s.creating =
      s.stopOnboarding =
      s.stopWatchingJoins =
      s.rotation =
        undefined;
    resetReady();
  }

  async function openAsHolder(walletId: string): Promise<WalletInfo> {
    const room = await loadWalletRoom(p.store, walletId);
    const record = await getCurrentEpoch(p.store, walletId);
    if (!record) throw new CairnError('NOT_FOUND', 'This device holds no share of that wallet');
    const key = decodeKeyPackage(record.keyPackage);
    decodePublicPackage(record.publicPackage); // stored packages must still decode
    record.keyPackage.fill(0);
    await deleteUnusedNonces(p.store, walletId);
    // Promoted by a reshare (or the DKG finished) just before a reload cut the clean-up short: nothing to resume.
    await deleteJoiningRecord(p.store, walletId);
    await deleteCreationRecord(p.store, walletId);
    await connectTo(room, key.public.roster.deviceKeys.map(toHex));
    return becomeReady(walletId, key);
  }

  function requireCoordinator(): SigningCoordinator {
    if (!s.coordinator) throw new CairnError('NOT_FOUND', 'No wallet open');
    return s.coordinator;
  }

  function requireRefresher(): EpochCoordinator {
    if (!s.refresher) throw new CairnError('NOT_FOUND', 'No wallet open');
    return s.refresher;
  }
}

export type Guardian = ReturnType<typeof createGuardian>;

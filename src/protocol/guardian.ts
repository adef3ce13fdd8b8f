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
 */
import { randomBytes } from '@noble/hashes/utils.js';
import type * as Y from 'yjs';
import {
  CairnError, signingPath, decodeKeyPackage, decodePublicPackage, encodeKeyPackage, encodePublicPackage, groupKeyOf,
  type KeyPackage, type PublicPackage, type SigningRequest,
} from '../core/index.ts';
import { hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { getCurrentEpoch, putCurrentEpoch, recordNames } from '../device/walletRecords.ts';
import { createInvite, encodeJoinBody, type Invite } from '../net/invite.ts';
import { DEFAULT_LOG_ENTRY_KINDS, openRequestLog, type LogEntry, type RequestLog } from '../net/requestLog.ts';
import { BLAME_LOG_KIND } from './blame.ts';
import { QUORUM_LOG_KIND } from './signingRequestCodec.ts';
import { systemClock, type Clock } from './clock.ts';
import { dkgDescriptor } from './descriptors/dkg.ts';
import type { FrostSignResult } from './descriptors/frostSign.ts';
import { createEnvelopeRouter, type EnvelopeRouter } from './envelopeRouter.ts';
import type { ProtocolEvent } from './events.ts';
import { shareStoreEpochs } from './epochStore.ts';
import { shareStoreNonces } from './nonceStore.ts';
import { createEpochCoordinator, type EpochCoordinator, type EpochOutcome } from './epochCoordinator.ts';
import { runProtocol, type RunnerEnv } from './roundRunner.ts';
import { createSigningCoordinator, type PolicyHook, type SigningCoordinator, type SigningEvent } from './signingCoordinator.ts';
import { CREATION_LOG_KIND, encodeCreation, inviteHash, pendingRoster } from './walletCreation.ts';
import {
  deleteCreationRecord, loadCreationRecord, reverifyCreation, saveCreationRecord, usedInvites, type CreationRecord,
} from './creationRecord.ts';
import { encodeAddInvite, invitedDevices } from './guardianInvite.ts';
import { loadWalletRoom, saveWalletRoom, type WalletRoom } from './walletRoomRecord.ts';
import { createVaultCoordinator, type VaultCoordinator, type VaultEvent } from './vaultCoordinator.ts';
import { VAULT_LOG_KINDS } from './vaultLogCodec.ts';
import type { ProtocolDescriptor } from './descriptor.ts';
import type { VaultOpenParams, VaultOpenResult } from './descriptors/vaultOpen.ts';
import type { EcdsaSetupParams } from './descriptors/ecdsaSetup.ts';
import type { PairwiseSetup } from '../core/ecdsa/index.ts';
import { createEcdsaCoordinator, ECDSA_SETUP_LOG_KIND, type EcdsaCoordinator, type EcdsaSetupEvent } from './ecdsaCoordinator.ts';
import { restoreShareFromWords } from '../device/backup.ts';
import {
  BACKUP_RESTORED_LOG_KIND, backupRestoredBody, decodeBackupRestored, restoredBackups, restoredShareRecord, verifyBackupRestored, type RestoredBackup,
} from './backupRestored.ts';
import type { ActingDealer } from './epochCoordinator.ts';
import {
  addInviteFor, deleteJoiningRecord, loadJoiningRecord, movedOnWithout, MOVED_ON_KINDS, saveJoiningRecord, whenJoiningReverified, whenLogShows,
} from './joiningRecord.ts';

export type WalletConnection = { readonly doc: Y.Doc; close(): Promise<void> };
export type Connect = (p: { walletId: string; roomSecret: Uint8Array; signalingUrls: string[] }) => Promise<WalletConnection>;

export type GuardianEvent =
  | ProtocolEvent
  | SigningEvent
  | VaultEvent
  | EcdsaSetupEvent
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
  | { type: 'creation-interrupted'; walletId: string };

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
  /** Signaling URLs written into invites. */
  signalingUrls?: string[];
  inviteTtlMs?: number;
  /** How long `reopen` waits for the log to show a joining (or gathering) device's own entries again. Default 60 s. */
  rejoinTimeoutMs?: number;
  /** Test seam: wraps the log (adversarial tests tamper with what this device sends). */
  wrapLog?: (log: RequestLog) => RequestLog;
  /** Test seam: adversarial vault tests wrap the vault-open descriptor. */
  vaultOpenDescriptor?: ProtocolDescriptor<VaultOpenParams, VaultOpenResult>;
  /**
   * When the DKLs23 pairwise setups (EOA signing) run: 'after-dkg' sets every pair up once the wallet is ready
   * (≈ 3 s CPU per peer per device); 'on-demand' (default) waits for the first EOA request that needs them.
   */
  ecdsaSetup?: 'after-dkg' | 'on-demand';
  /** Test seam: adversarial ECDSA tests wrap the pairwise-setup descriptor. */
  ecdsaSetupDescriptor?: ProtocolDescriptor<EcdsaSetupParams, PairwiseSetup>;
};

export function createGuardian(p: CreateGuardianParameters) {
  const clock = p.clock ?? systemClock;
  const self = p.identity.publicKey;
  const listeners = new Set<(e: GuardianEvent) => void>();
  const emit = (e: GuardianEvent) => {
    for (const cb of [...listeners]) cb(e);
  };
  let conn: WalletConnection | undefined;
  let log: RequestLog | undefined;
  let router: EnvelopeRouter | undefined;
  let coordinator: SigningCoordinator | undefined;
  let refresher: EpochCoordinator | undefined;
  let vault: VaultCoordinator | undefined;
  let ecdsa: EcdsaCoordinator | undefined;
  let current: { pub: PublicPackage; key: KeyPackage; walletId: string } | undefined;
  let onboarding: { room: WalletRoom; pending: NonNullable<ReturnType<typeof pendingRoster>> } | undefined;
  /** Created or joined a wallet whose key is not made yet: sealed so that a reload can pick up here (`creationRecord.ts`). */
  let creating: CreationRecord | undefined;
  /** A device joining an existing wallet: the public package its inviter published. */
  let newcomer: PublicPackage | undefined;
  /** The write of this joining device's record (`joiningRecord.ts`), awaited before it is relied on. */
  let joiningSaved: Promise<void> | undefined;
  let stopWatchingJoins: (() => void) | undefined;
  /** Stops watching the pending roster and cancels a DKG run in progress (`close`). */
  let stopOnboarding: (() => void) | undefined;
  let ready: { promise: Promise<WalletInfo>; resolve: (w: WalletInfo) => void; reject: (e: unknown) => void };
  resetReady();

  function resetReady(): void {
    let resolve!: (w: WalletInfo) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<WalletInfo>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined); // observed through whenReady()
    ready = { promise, resolve, reject };
  }

  async function connectTo(room: WalletRoom, members: string[]): Promise<{ log: RequestLog; env: RunnerEnv }> {
    if (conn) throw new CairnError('BAD_PARAMETERS', 'This guardian already has a wallet open; close it first');
    conn = await p.connect({ walletId: room.walletId, roomSecret: room.roomSecret, signalingUrls: room.signalingUrls });
    const opened = openRequestLog({ doc: conn.doc, identity: p.identity, members, now: () => clock.now(), scope: room.walletId, kinds: [...DEFAULT_LOG_ENTRY_KINDS, BLAME_LOG_KIND, QUORUM_LOG_KIND, ...VAULT_LOG_KINDS, ECDSA_SETUP_LOG_KIND, BACKUP_RESTORED_LOG_KIND] });
    log = p.wrapLog ? p.wrapLog(opened) : opened;
    log.onRejected((r) => emit({ type: 'rejected', from: r.author, code: 'MALFORMED', reason: r.reason }));
    router = createEnvelopeRouter({ log, identity: p.identity, onEvent: emit });
    // Invited devices' entries (a restored backup) must be visible to the holders before a reshare names them.
    stopWatchingJoins = log.subscribe((e) => {
      if (e.kind === 'join' || e.kind === CREATION_LOG_KIND) queueMicrotask(showInvited);
      if (e.kind === BACKUP_RESTORED_LOG_KIND) checkRestoredEntry(e);
      if (MOVED_ON_KINDS.includes(e.kind) && newcomer && !current) queueMicrotask(() => checkMovedOn(room.walletId));
    });
    const env: RunnerEnv = { identity: p.identity, log, router, clock, roundTimeoutMs: p.roundTimeoutMs ?? 20_000, onEvent: emit };
    const nonces = shareStoreNonces(p.store, room.walletId);
    ecdsa = createEcdsaCoordinator({
      identity: p.identity, log, env, store: p.store, walletId: room.walletId, wallet: () => current, onEvent: emit,
      onChanged: () => coordinator?.reevaluate(), mode: p.ecdsaSetup, setupDescriptor: p.ecdsaSetupDescriptor,
    });
    coordinator = createSigningCoordinator({ identity: p.identity, log, env, wallet: () => current, nonces, policy: p.policy, onEvent: emit, ecdsa });
    vault = createVaultCoordinator({ identity: p.identity, log, env, wallet: () => current, onEvent: emit, descriptor: p.vaultOpenDescriptor });
    refresher = createEpochCoordinator({
      identity: p.identity, log, env, current: () => current?.key, epochs: shareStoreEpochs(p.store, room.walletId), nonces,
      newcomerOf: () => newcomer,
      invited: () => invitedFor(current?.pub ?? newcomer),
      restoredKey: async (lost) => {
        const bytes = await p.store.getRecord(restoredShareRecord.name(room.walletId, lost));
        return bytes && decodeKeyPackage(bytes);
      },
      // Newcomers of a reshare see each other too (two can join at once, one may deal for a lost guardian).
      onNewcomers: (keys) => {
        const pub = current?.pub ?? newcomer;
        if (pub) log!.setMembers([...new Set([...pub.roster.deviceKeys.map(toHex), ...(current ? [] : [self]), ...keys])]);
      },
      onPromoted: async (outcome) => {
        // State first, synchronously (callers awaiting the run read it next); then a restored backup
        // that has dealt its part goes: the lost guardian's share must not outlive the epoch.
        const done = promoted(room, outcome);
        for (const name of await p.store.listRecords(restoredShareRecord.prefix(room.walletId))) await p.store.deleteRecord(name);
        await done;
      },
    });
    return { log, env };
  }

  async function promoted(room: WalletRoom, { current: key }: EpochOutcome): Promise<void> {
    if (key && !current) {
      newcomer = undefined; // joined by a reshare: this device is a guardian now
      becomeReady(room.walletId, key);
      emit({ type: 'epoch', walletId: room.walletId, epoch: key.public.epoch });
      await joiningSaved?.catch(() => undefined);
      await deleteJoiningRecord(p.store, room.walletId); // after a reload it opens as a guardian
      return;
    }
    if (!key) {
      if (!current) return; // dealt only for a restored backup, never held a share of its own
      // Left by a reshare: every remaining holder has promoted, so this old share is only a liability.
      current = undefined;
      await p.store.deleteRecord(recordNames.current(room.walletId));
      emit({ type: 'left', walletId: room.walletId });
      return;
    }
    const oldPub = current?.pub;
    current = { pub: key.public, key, walletId: room.walletId };
    log!.setMembers(key.public.roster.deviceKeys.map(toHex));
    showInvited();
    if (oldPub) await ecdsa?.promoted(oldPub, key.public);
    emit({ type: 'epoch', walletId: room.walletId, epoch: key.public.epoch });
    coordinator?.reevaluate();
    vault?.reevaluate();
  }

  function invitedFor(pub: PublicPackage | undefined): string[] {
    return log && pub ? invitedDevices(log.entries(), pub.roster.deviceKeys.map(toHex), toHex(pub.walletId)) : [];
  }

  /** A restored-backup claim that fails its checks is reported naming its author (stale epochs are just history). */
  function checkRestoredEntry(e: LogEntry): void {
    const pub = current?.pub ?? newcomer;
    if (!pub) return;
    try {
      if (decodeBackupRestored(e.body).epoch < pub.epoch) return;
    } catch {
      // unreadable: reported below
    }
    try {
      verifyBackupRestored(e, pub, [...invitedFor(pub), self]);
    } catch (err) {
      const code = err instanceof CairnError ? err.code : 'MALFORMED';
      emit({ type: 'rejected', from: e.author, code, reason: err instanceof CairnError ? err.shortMessage : 'Unreadable backup-restored entry' });
    }
  }

  /** Joined with an add invite: takes part in a reshare naming it with the inviter's public package. */
  function becomeNewcomer(room: WalletRoom, pub: PublicPackage): void {
    newcomer = pub;
    const members = [...pub.roster.deviceKeys.map(toHex), self];
    log!.setMembers(members);
    emit({ type: 'roster', members, needed: members.length });
    refresher?.reevaluate();
    queueMicrotask(() => checkMovedOn(room.walletId));
  }

  /** A joining device the wallet moved on without: its invite is spent and a restored backup is of a past epoch. */
  function checkMovedOn(walletId: string): void {
    const pub = newcomer;
    if (!log || current || !pub || !movedOnWithout(log.entries(), pub, self)) return;
    newcomer = undefined;
    const forget = async () => {
      await joiningSaved?.catch(() => undefined);
      await deleteJoiningRecord(p.store, walletId);
      for (const name of await p.store.listRecords(restoredShareRecord.prefix(walletId))) await p.store.deleteRecord(name);
    };
    // Locked meanwhile: the records stay, and the next reopen finds the same entries and tries again.
    void forget().then(() => emit({ type: 'not-added', walletId }), () => undefined);
  }

  /** Holders see the entries of devices they invited (joined, not yet guardians). */
  function showInvited(): void {
    if (!log || !current) return;
    const invited = invitedFor(current.pub);
    if (invited.length) log.setMembers([...current.pub.roster.deviceKeys.map(toHex), ...invited]);
  }

  function becomeReady(walletId: string, key: KeyPackage): WalletInfo {
    current = { pub: key.public, key, walletId };
    log!.setMembers(key.public.roster.deviceKeys.map(toHex));
    showInvited();
    const info = { walletId, pub: key.public, groupKey: toHex(groupKeyOf(key.public)) };
    emit({ type: 'ready', walletId, groupKey: info.groupKey, threshold: key.public.threshold, guardians: key.public.roster.deviceKeys.length });
    void ecdsa!.ready().then(() => coordinator?.reevaluate());
    coordinator!.reevaluate();
    refresher!.reevaluate();
    vault!.reevaluate();
    ready.resolve(info);
    return info;
  }

  /**
   * Watches the log for the pending roster; starts the DKG once all n guardians joined, and again
   * for each retry the creator appends after an abort (`retryWalletCreation`).
   */
  function onboard(room: WalletRoom, env: RunnerEnv, myInviteId?: string, interrupted?: string): void {
    let running: { creationId: string; cancelled?: string; cancel?: (reason: string) => void } | undefined;
    const attempted = new Set<string>();
    let lastCount = 0;
    const check = () => {
      if (!log || current || newcomer) return;
      if (running) {
        // The creator appended a newer attempt (a guardian's run was cut short): this one can't finish.
        const latest = pendingRoster(log.entries(), room.creator, room.walletId);
        if (latest && latest.creationId !== running.creationId && !running.cancelled) {
          running.cancelled = "The wallet's creator restarted the key creation";
          running.cancel?.(running.cancelled);
        }
        return;
      }
      if (myInviteId) {
        // Joining an existing wallet: the inviter published its public package with our invite.
        const add = addInviteFor(log.entries(), room.creator, room.walletId, myInviteId);
        if (add) {
          unsubscribe();
          // Kept sealed so that a reload before the reshare can pick up here (`reopen`); not a wallet being created.
          joiningSaved = saveJoiningRecord(p.store, room.walletId, { inviteId: myInviteId, pub: add.pub }).then(() => deleteCreationRecord(p.store, room.walletId));
          creating = undefined;
          joiningSaved.catch(() => undefined); // surfaced to whoever awaits it (restoreBackup)
          becomeNewcomer(room, add.pub);
          return;
        }
      }
      const pending = pendingRoster(log.entries(), room.creator, room.walletId);
      if (!pending) return;
      onboarding = { room, pending };
      if (pending.members.length !== lastCount) {
        lastCount = pending.members.length;
        log.setMembers(pending.members);
        emit({ type: 'roster', members: pending.members, needed: pending.creation.guardians });
      }
      // Complete without this device: it may be joining later, by an add invite (see above).
      if (!pending.complete || attempted.has(pending.creationId) || !pending.members.includes(self)) return;
      const { creationId } = pending;
      attempted.add(creationId);
      if (creationId === interrupted) {
        // This device began that attempt before a reload: its secrets are gone and its first round is in the log.
        if (room.creator === self) log.append(CREATION_LOG_KIND, encodeCreation({ ...pending.creation, attempt: pending.attempt + 1 }));
        else emit({ type: 'creation-interrupted', walletId: room.walletId });
        return;
      }
      running = { creationId };
      runAttempt(pending, running);
    };
    /** Notes the attempt in the sealed record first (a reload then knows not to run it again), then runs the DKG. */
    const runAttempt = (pending: NonNullable<ReturnType<typeof pendingRoster>>, attempt: NonNullable<typeof running>) => {
      const result = (async () => {
        if (creating) {
          creating = { ...creating, started: attempt.creationId };
          await saveCreationRecord(p.store, room.walletId, creating);
        }
        if (attempt.cancelled || !log) throw new CairnError('ABORTED', attempt.cancelled ?? 'The wallet was closed');
        const run = runProtocol(dkgDescriptor, {
          walletId: hexToBytesStrict(room.walletId, 'wallet id', 32), deviceKeys: pending.members, self,
          threshold: pending.creation.threshold, requestId: hexToBytesStrict(attempt.creationId, 'creation id', 32),
        }, env);
        attempt.cancel = run.cancel;
        return run.result;
      })();
      result.then(
        async ({ keyPackage, publicPackage }) => {
          unsubscribe();
          await putCurrentEpoch(p.store, room.walletId, { epoch: 0, keyPackage: encodeKeyPackage(keyPackage), publicPackage: encodePublicPackage(publicPackage) });
          await deleteCreationRecord(p.store, room.walletId); // the key is stored: a reload opens as a guardian
          if (stopped) return; // closed meanwhile: the next open finds the key
          creating = undefined;
          running = undefined;
          becomeReady(room.walletId, keyPackage);
        },
        (err) => {
          if (stopped) return; // closed: nothing of this wallet is open any more
          running = undefined;
          // Callers already waiting learn of the abort; later callers wait for a retry.
          const aborted = ready;
          resetReady();
          aborted.reject(err);
          queueMicrotask(check); // a retry may already be in the log
        },
      );
    };
    // Membership changes re-filter the log from inside its own delivery: defer to a microtask.
    const unsubscribe = log!.subscribe(() => queueMicrotask(check));
    let stopped = false;
    stopOnboarding = () => {
      stopped = true;
      unsubscribe();
      if (running && !running.cancelled) {
        running.cancelled = 'The wallet was closed';
        running.cancel?.(running.cancelled);
      }
    };
  }

  return {
    publicKey: self,
    on(cb: (e: GuardianEvent) => void): () => void {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },

    /** Creator: opens a new wallet's log and issues n−1 single-use invites. */
    async createWallet({ threshold, guardians }: { threshold: number; guardians: number }): Promise<{ walletId: string; invites: Invite[] }> {
      const walletId = toHex(randomBytes(32));
      const roomSecret = randomBytes(32);
      const signalingUrls = p.signalingUrls ?? [];
      const expiresAt = clock.now() + (p.inviteTtlMs ?? 24 * 3600_000);
      const invites = Array.from({ length: guardians - 1 }, () =>
        createInvite({ walletId, roomSecret, signalingUrls: signalingUrls.length ? signalingUrls : ['ws://localhost:4444'], inviter: self, threshold, guardians, expiresAt }),
      );
      const room = { walletId, roomSecret, creator: self, signalingUrls };
      await saveWalletRoom(p.store, room);
      // Before the creation entry: a reload from then on reopens with the same invites (`reopen`).
      await saveCreationRecord(p.store, walletId, { role: 'creator', invites });
      const { log, env } = await connectTo(room, [self]);
      creating = { role: 'creator', invites };
      log.append(CREATION_LOG_KIND, encodeCreation({ walletId, threshold, guardians, inviteHashes: invites.map((i) => inviteHash(i.inviteId)) }));
      onboard(room, env);
      return { walletId, invites };
    },

    /** Creator, after a DKG aborted: runs it again with the same guardians (everyone must be back online). */
    retryWalletCreation(): void {
      if (!log || !onboarding || current) throw new CairnError('NOT_FOUND', 'No wallet creation to retry on this device');
      if (onboarding.room.creator !== self) throw new CairnError('BAD_PARAMETERS', 'Only the guardian who created the wallet can restart its creation');
      const { creation, attempt } = onboarding.pending;
      if (attempt >= 255) throw new CairnError('BAD_PARAMETERS', 'Too many attempts; create a new wallet');
      log.append(CREATION_LOG_KIND, encodeCreation({ ...creation, attempt: attempt + 1 }));
    },

    /**
     * A guardian invites another device into the existing wallet. Once it has joined, any guardian
     * makes it a holder with `reshare([...guardians, itsKey], t)` (same key and address).
     */
    async inviteGuardian(): Promise<Invite> {
      if (!log || !current) throw new CairnError('NOT_FOUND', 'This device holds no share of a wallet');
      const room = await loadWalletRoom(p.store, current.walletId);
      const n = current.pub.roster.deviceKeys.length;
      const invite = createInvite({
        walletId: current.walletId, roomSecret: room.roomSecret, signalingUrls: room.signalingUrls.length ? room.signalingUrls : ['ws://localhost:4444'],
        inviter: self, threshold: current.pub.threshold, guardians: Math.min(n + 1, 255), expiresAt: clock.now() + (p.inviteTtlMs ?? 24 * 3600_000),
      });
      log.append(CREATION_LOG_KIND, encodeAddInvite({ walletId: current.walletId, inviteHash: inviteHash(invite.inviteId), pub: current.pub }));
      return invite;
    },
    /** Devices that joined with an invite from a guardian and can be added by a reshare. */
    invitedDevices: (): string[] => (current ? invitedFor(current.pub) : []),

    /** Joiner: enters the room of an invite and asks to join (single use). */
    async join(invite: Invite): Promise<{ walletId: string }> {
      if (clock.now() >= invite.expiresAt) throw new CairnError('EXPIRED', 'This invite has expired. Ask the guardian who sent it for a new one.');
      const room = { walletId: invite.walletId, roomSecret: invite.roomSecret, creator: invite.inviter, signalingUrls: invite.signalingUrls };
      await saveWalletRoom(p.store, room);
      // Before the join entry: a reload from then on reopens without joining twice (`reopen`).
      await saveCreationRecord(p.store, invite.walletId, { role: 'joiner', inviteId: invite.inviteId });
      const { log, env } = await connectTo(room, [invite.inviter]);
      creating = { role: 'joiner', inviteId: invite.inviteId };
      onboard(room, env, invite.inviteId);
      log.append('join', encodeJoinBody(invite.inviteId));
      return { walletId: invite.walletId };
    },

    /** After a reload: reconnects to a wallet whose share is in the store. */
    open: openAsHolder,

    /**
     * After a reload: reopens this device's wallet — as a guardian when it holds a share (`open`),
     * else in the joining state it was in (`joiningRecord.ts`): same room, and the inviter's public
     * package once the log shows the same add invite and this device's join again. A restored
     * backup (sealed record, `backup-restored` entry in the log) stays usable for the reshare.
     */
    async reopen(walletId: string): Promise<
      | { wallet: WalletInfo; joining?: undefined; gathering?: undefined }
      | { joining: PublicPackage; wallet?: undefined; gathering?: undefined }
      | { gathering: true; wallet?: undefined; joining?: undefined }
    > {
      if (await getCurrentEpoch(p.store, walletId)) return { wallet: await openAsHolder(walletId) };
      const record = await loadJoiningRecord(p.store, walletId);
      if (!record) {
        const gathering = await loadCreationRecord(p.store, walletId);
        if (!gathering) throw new CairnError('NOT_FOUND', 'This device holds no share of that wallet and is not joining it');
        await reopenGathering(walletId, gathering);
        return { gathering: true };
      }
      const room = await loadWalletRoom(p.store, walletId);
      await deleteUnusedNonces(walletId);
      const { log } = await connectTo(room, [room.creator]);
      let pub: PublicPackage;
      try {
        pub = await whenJoiningReverified(log, { record, inviter: room.creator, walletId, self }, clock, p.rejoinTimeoutMs ?? 60_000);
      } catch (err) {
        await close(); // nothing half-open: the caller may try again
        throw err;
      }
      joiningSaved = Promise.resolve();
      becomeNewcomer(room, pub);
      return { joining: pub };
    },

    whenReady: () => ready.promise,
    wallet: (): WalletInfo | undefined => current && { walletId: current.walletId, pub: current.pub, groupKey: toHex(groupKeyOf(current.pub)) },

    requestSignature(request: SigningRequest): Promise<{ requestId: string; signature: Promise<FrostSignResult> }> {
      if (!coordinator) throw new CairnError('NOT_FOUND', 'No wallet open');
      return coordinator.request(request);
    },
    approve: (requestId: string) => requireCoordinator().approve(requestId),
    deny: (requestId: string, reason: string) => requireCoordinator().deny(requestId, reason),
    result: (requestId: string) => requireCoordinator().result(requestId),
    /** Proactive refresh of every holder's share (same key and address); resolves once promoted here. */
    refresh(): Promise<EpochOutcome> {
      if (!refresher) throw new CairnError('NOT_FOUND', 'No wallet open');
      return refresher.refresh();
    },
    /**
     * Reshare to other holders and/or another threshold (same key and address). Dealers default to
     * every current holder; to replace a lost device, pass the holders still there (at least t).
     */
    reshare(newHolders: string[], newThreshold: number, dealers?: string[], actors?: ActingDealer[]): Promise<EpochOutcome> {
      if (!refresher) throw new CairnError('NOT_FOUND', 'No wallet open');
      return refresher.reshare(newHolders, newThreshold, dealers, actors);
    },

    /**
     * A device that joined with an add invite (no share yet) restores a lost guardian's paper backup:
     * the words are checked against the public package its inviter published; the share is kept
     * sealed in the store and a `backup-restored` entry (with a proof of knowledge) lets a reshare
     * name this device as dealing in that guardian's place. Returns the lost guardian's device key.
     */
    async restoreBackup(words: string | readonly string[]): Promise<{ lost: string }> {
      const pub = newcomer;
      if (!log || current || !pub) throw new CairnError('NOT_FOUND', 'Only a device that joined with an invite, and holds no share yet, can restore a backup');
      await joiningSaved; // the restored share is only worth keeping if this device can come back to it after a reload
      const walletId = toHex(pub.walletId);
      const holders = pub.roster.identifiers.map((id) => ({ identifier: id, verifyingShare: toHex(pub.verifyingShares[id]!) }));
      const restored = restoreShareFromWords(words, { walletId, groupKey: toHex(groupKeyOf(pub)), epoch: pub.epoch, holders });
      try {
        const lost = toHex(pub.roster.deviceKeys[pub.roster.identifiers.indexOf(restored.identifier)]!);
        await p.store.putRecord(restoredShareRecord.name(walletId, lost), encodeKeyPackage({ identifier: restored.identifier, signingShare: restored.share, public: pub }));
        log.append(BACKUP_RESTORED_LOG_KIND, backupRestoredBody(pub, lost, self, restored.share));
        return { lost };
      } finally {
        restored.share.fill(0);
      }
    },
    /** The creator, until the key is made: the invites it issued (kept sealed; shown again after a reload) and whether a join used each. */
    creatorInvites(): { invite: Invite; used: boolean }[] {
      if (!creating || creating.role !== 'creator') return [];
      const used = log ? usedInvites(log.entries(), creating.invites, onboarding?.pending.members ?? []) : [];
      return creating.invites.map((invite, i) => ({ invite, used: used[i] ?? false }));
    },
    /** For a device that joined with an add invite and holds no share yet: the wallet's public package. */
    joiningWallet: (): PublicPackage | undefined => (current ? undefined : newcomer),
    /** Verified restored backups of the current epoch (holders: to offer them as dealers). */
    restoredBackups(): RestoredBackup[] {
      const pub = current?.pub ?? newcomer;
      return log && pub ? restoredBackups(log.entries(), pub, [...invitedFor(pub), self]) : [];
    },
    requests: () => coordinator?.requests() ?? [],
    /**
     * The wallet's plain EOA (group key's address) as a signer for `guardianEoaAccount` (src/chain, a viem account):
     * each call appends a typed `eoa-transaction` / `eoa-message` request, waits for t approvals (policy hook as
     * for vault requests) and the guardians' DKLs23 run, and resolves with r ‖ s ‖ yParity.
     */
    eoaSigner(): { groupKey: Uint8Array; request: (request: SigningRequest) => Promise<FrostSignResult> } {
      if (!current) throw new CairnError('NOT_FOUND', 'No wallet open');
      return {
        groupKey: groupKeyOf(current.pub),
        request: async (request) => {
          if (signingPath(request) !== 'ecdsa') throw new CairnError('BAD_PARAMETERS', 'The EOA signs eoa-transaction and eoa-message requests only');
          return (await requireCoordinator().request(request)).signature;
        },
      };
    },
    /** DKLs23 pairwise setups of the open wallet (ready peers; ask for a fresh setup). */
    ecdsaSetups() {
      if (!ecdsa) throw new CairnError('NOT_FOUND', 'No wallet open');
      return { readyPeers: ecdsa.readyPeers, requestSetup: ecdsa.requestSetup };
    },
    /** Family-vault secrets of the open wallet (store, request, approve, deny, plaintext). */
    vault(): VaultCoordinator {
      if (!vault) throw new CairnError('NOT_FOUND', 'No wallet open');
      return vault;
    },
    /** The request log (read-only use: audit views, tests). */
    log: () => log,

    close,
  };

  async function close(): Promise<void> {
    stopOnboarding?.();
    stopWatchingJoins?.();
    coordinator?.destroy();
    refresher?.destroy();
    vault?.destroy();
    ecdsa?.destroy();
    router?.destroy();
    log?.destroy();
    await conn?.close();
    await joiningSaved?.catch(() => undefined);
    conn = log = router = coordinator = refresher = vault = ecdsa = current = onboarding = newcomer = joiningSaved = creating = stopOnboarding = undefined;
    resetReady();
  }

  async function openAsHolder(walletId: string): Promise<WalletInfo> {
    const room = await loadWalletRoom(p.store, walletId);
    const record = await getCurrentEpoch(p.store, walletId);
    if (!record) throw new CairnError('NOT_FOUND', 'This device holds no share of that wallet');
    const key = decodeKeyPackage(record.keyPackage);
    decodePublicPackage(record.publicPackage); // stored packages must still decode
    record.keyPackage.fill(0);
    await deleteUnusedNonces(walletId);
    // Promoted by a reshare (or the DKG finished) just before a reload cut the clean-up short: nothing to resume.
    await deleteJoiningRecord(p.store, walletId);
    await deleteCreationRecord(p.store, walletId);
    await connectTo(room, key.public.roster.deviceKeys.map(toHex));
    return becomeReady(walletId, key);
  }

  /**
   * After a reload, a device that created or joined a wallet whose key is not made yet: same room,
   * no entry appended again — once the log shows its own creation entry or join as it left it, it
   * watches the pending roster as before (and runs the DKG when all n are in).
   */
  async function reopenGathering(walletId: string, record: CreationRecord): Promise<void> {
    const room = await loadWalletRoom(p.store, walletId);
    const { log, env } = await connectTo(room, [room.creator, self]);
    try {
      await whenLogShows(log, (entries) => reverifyCreation(entries, { record, creator: room.creator, walletId, self }), clock, p.rejoinTimeoutMs ?? 60_000);
    } catch (err) {
      await close(); // nothing half-open: the caller may try again
      throw err;
    }
    creating = record;
    onboard(room, env, record.role === 'joiner' ? record.inviteId : undefined, record.started);
  }

  /** Nonces of sessions cut short by a reload can never be used (a run doesn't survive one): deleting them is always safe. */
  async function deleteUnusedNonces(walletId: string): Promise<void> {
    for (const name of await p.store.listRecords(`wallet/${walletId}/nonce/`)) await p.store.deleteRecord(name);
  }

  function requireCoordinator(): SigningCoordinator {
    if (!coordinator) throw new CairnError('NOT_FOUND', 'No wallet open');
    return coordinator;
  }
}

export type Guardian = ReturnType<typeof createGuardian>;

/**
 * The guardian facade's connection to a wallet: opens its room and request log, and wires the
 * envelope router and the coordinators (signing, vault, DKLs23 setups, refresh / reshare) to the
 * shared state (`guardianState.ts`). A promotion (refresh or reshare) updates that state here.
 */
import { CairnError, decodeKeyPackage } from '../core/index.ts';
import { toHex } from '../device/byteCodec.ts';
import { recordNames } from '../device/walletRecords.ts';
import { openRequestLog, type RequestLog } from '../net/requestLog.ts';
import { BACKUP_RESTORED_LOG_KIND, deleteRestoredShares, restoredShareRecord } from './backupRestored.ts';
import { createEcdsaCoordinator } from './ecdsaCoordinator.ts';
import { createEnvelopeRouter } from './envelopeRouter.ts';
import { createEpochCoordinator, type EpochOutcome } from './epochCoordinator.ts';
import { shareStoreEpochs } from './epochStore.ts';
import type { GuardianJoining } from './guardianJoining.ts';
import type { GuardianContext } from './guardianState.ts';
import { deleteJoiningRecord, MOVED_ON_KINDS } from './joiningRecord.ts';
import { GUARDIAN_LOG_KINDS } from './logKinds.ts';
import { shareStoreNonces } from './nonceStore.ts';
import type { RunnerEnv } from './roundRunner.ts';
import { createSigningCoordinator } from './signingCoordinator.ts';
import { createSecretsCoordinator } from './secretsCoordinator.ts';
import { CREATION_LOG_KIND } from './walletCreation.ts';
import type { WalletRoom } from './walletRoomRecord.ts';
import { ROOM_KEY_LOG_KIND } from './roomKeyEntry.ts';
import { createRoomRotation } from './roomRotation.ts';

export async function connectWallet(
  ctx: GuardianContext,
  joining: Pick<GuardianJoining, 'checkRestoredEntry' | 'checkMovedOn'>,
  room: WalletRoom,
  members: string[],
): Promise<{ log: RequestLog; env: RunnerEnv }> {
  const { p, self, clock, s, emit } = ctx;
  if (s.conn) throw new CairnError('BAD_PARAMETERS', 'This guardian already has a wallet open; close it first');
  s.conn = await p.connect({ walletId: room.walletId, roomSecret: room.roomSecret, signalingUrls: room.signalingUrls, ice: room.ice });
  const opened = openRequestLog({ doc: s.conn.doc, identity: p.identity, members, now: () => clock.now(), scope: room.walletId, kinds: GUARDIAN_LOG_KINDS });
  const log = (s.log = p.wrapLog ? p.wrapLog(opened) : opened);
  log.onRejected((r) => emit({ type: 'rejected', from: r.author, code: 'MALFORMED', reason: r.reason }));
  const router = (s.router = createEnvelopeRouter({ log, identity: p.identity, onEvent: emit }));
  const rotation = (s.rotation = createRoomRotation(ctx, room.walletId));
  // Invited devices' entries (a restored backup) must be visible to the holders before a reshare names them.
  s.stopWatchingJoins = log.subscribe((e) => {
    if (e.kind === 'join' || e.kind === CREATION_LOG_KIND) queueMicrotask(ctx.showInvited);
    if (e.kind === BACKUP_RESTORED_LOG_KIND) joining.checkRestoredEntry(e);
    if (MOVED_ON_KINDS.includes(e.kind) && s.newcomer && !s.current) queueMicrotask(() => joining.checkMovedOn(room.walletId));
    if (e.kind === ROOM_KEY_LOG_KIND) queueMicrotask(rotation.reevaluate);
  });
  const env: RunnerEnv = { identity: p.identity, log, router, clock, roundTimeoutMs: p.roundTimeoutMs ?? 20_000, onEvent: emit };
  const nonces = shareStoreNonces(p.store, room.walletId);
  const wallet = () => s.current;
  const ecdsa = (s.ecdsa = createEcdsaCoordinator({
    identity: p.identity,
    log,
    env,
    store: p.store,
    walletId: room.walletId,
    wallet,
    onEvent: emit,
    onChanged: () => s.coordinator?.reevaluate(),
    mode: p.ecdsaSetup,
    setupDescriptor: p.ecdsaSetupDescriptor,
  }));
  s.coordinator = createSigningCoordinator({
    identity: p.identity,
    log,
    env,
    wallet,
    nonces,
    policy: p.policy,
    staleReason: p.staleReason,
    onEvent: emit,
    ecdsa,
  });
  s.vault = createSecretsCoordinator({ identity: p.identity, log, env, wallet, onEvent: emit, descriptor: p.secretsOpenDescriptor });
  s.refresher = createEpochCoordinator({
    identity: p.identity,
    log,
    env,
    current: () => s.current?.key,
    epochs: shareStoreEpochs(p.store, room.walletId),
    nonces,
    newcomerOf: () => s.newcomer,
    invited: () => ctx.invitedFor(s.current?.pub ?? s.newcomer),
    restoredKey: async (lost) => {
      const bytes = await p.store.getRecord(restoredShareRecord.name(room.walletId, lost));
      if (!bytes) return undefined;
      try {
        return decodeKeyPackage(bytes); // the package holds its own copy of the share
      } finally {
        bytes.fill(0);
      }
    },
    // Newcomers of a reshare see each other too (two can join at once, one may deal for a lost guardian).
    onNewcomers: (keys) => {
      const pub = s.current?.pub ?? s.newcomer;
      if (pub) s.log!.setMembers([...new Set([...pub.roster.deviceKeys.map(toHex), ...(s.current ? [] : [self]), ...keys])]);
    },
    onKeyChange: emit,
    commitGate: p.commitGate && ((epoch) => p.commitGate!(room.walletId, epoch)),
    keyChangePolicy: p.keyChangePolicy,
    onPromoted: async (outcome) => {
      // State first, synchronously (callers awaiting the run read it next); then a restored backup
      // that has dealt its part goes: the lost guardian's share must not outlive the epoch.
      const done = promoted(ctx, room, outcome);
      await deleteRestoredShares(p.store, room.walletId);
      await done;
    },
  });
  return { log, env };
}

async function promoted(ctx: GuardianContext, room: WalletRoom, { current: key }: EpochOutcome): Promise<void> {
  const { p, s, emit } = ctx;
  if (key && !s.current) {
    const joinedPub = s.newcomer;
    s.newcomer = undefined; // joined by a reshare: this device is a guardian now
    ctx.becomeReady(room.walletId, key);
    s.rotation?.afterPromotion(joinedPub, key.public);
    emit({ type: 'epoch', walletId: room.walletId, epoch: key.public.epoch });
    await s.joiningSaved?.catch(() => undefined);
    await deleteJoiningRecord(p.store, room.walletId); // after a reload it opens as a guardian
    return;
  }
  if (!key) {
    if (!s.current) return; // dealt only for a restored backup, never held a share of its own
    // Left by a reshare: every remaining holder has promoted, so this old share is only a liability.
    s.current = undefined;
    await p.store.deleteRecord(recordNames.current(room.walletId));
    emit({ type: 'left', walletId: room.walletId });
    return;
  }
  const oldPub = s.current?.pub;
  s.current = { pub: key.public, key, walletId: room.walletId };
  s.log!.setMembers(key.public.roster.deviceKeys.map(toHex));
  ctx.showInvited();
  s.rotation?.afterPromotion(oldPub, key.public);
  if (oldPub) await s.ecdsa?.promoted(oldPub, key.public);
  emit({ type: 'epoch', walletId: room.walletId, epoch: key.public.epoch });
  s.coordinator?.reevaluate();
  s.vault?.reevaluate();
}

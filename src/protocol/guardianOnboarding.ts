/**
 * The guardian facade's onboarding: creating a wallet (the creator's `roster` entry and invites),
 * joining it with an invite, watching the pending roster (`walletCreation.ts`), starting the DKG
 * once all n are in, retrying it after an abort, and picking all of this up after a reload from
 * the sealed creation record (`creationRecord.ts`). A joiner whose invite turns out to be an add
 * invite becomes a newcomer (`guardianJoining.ts`).
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError, encodeKeyPackage, encodePublicPackage } from '../core/index.ts';
import { hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { putCurrentEpoch } from '../device/walletRecords.ts';
import { createInvite, encodeJoinBody, type Invite } from '../net/invite.ts';
import { deleteCreationRecord, inviteIssued, reverifyCreation, saveCreationRecord, usedInvites, type CreationRecord } from './creationRecord.ts';
import { dkgDescriptor } from './descriptors/dkg.ts';
import type { GuardianJoining } from './guardianJoining.ts';
import type { GuardianContext } from './guardianState.ts';
import { addInviteFor, joinAuthor, saveJoiningRecord } from './joiningRecord.ts';
import { runProtocol, type RunnerEnv } from './roundRunner.ts';
import { CREATION_LOG_KIND, encodeCreation, inviteHash, pendingRoster, type PendingRoster } from './walletCreation.ts';
import { whenLogShows } from './whenLogShows.ts';
import { loadWalletRoom, requireSignaling, saveWalletRoom, type WalletRoom } from './walletRoomRecord.ts';
import { noIceServers } from '../net/iceConfig.ts';

export function createGuardianOnboarding(ctx: GuardianContext, joining: Pick<GuardianJoining, 'becomeNewcomer'>) {
  const { p, self, clock, s, emit } = ctx;

  /**
   * Watches the log for the pending roster; starts the DKG once all n guardians joined, and again
   * for each retry the creator appends after an abort (`retryWalletCreation`).
   */
  function onboard(room: WalletRoom, env: RunnerEnv, myInviteId?: string, interrupted?: string): void {
    let running: { creationId: string; cancelled?: string; cancel?: (reason: string) => void } | undefined;
    const attempted = new Set<string>();
    let lastMembers = '';
    let inviteTaken = false;
    let joinPending = myInviteId !== undefined;
    const check = () => {
      const log = s.log;
      if (!log || s.current || s.newcomer) return;
      if (myInviteId && joinPending) {
        // The join goes in only once the inviter's entries have synced: it then lands after them, and
        // after any earlier join with this invite, in every device's log. Appended into a still empty
        // log it would sort among the first entries by Yjs's tie-break and could take an earlier
        // device's seat. (After a reload it may be in the log already: then it isn't appended again.)
        if (!inviteIssued(log.entries(), room.creator, room.walletId, myInviteId)) return;
        joinPending = false;
        if (joinAuthor(log.entries(), myInviteId) === undefined) log.append('join', encodeJoinBody(myInviteId));
      }
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
        // Two devices opened the same link: the log keeps the first join, the other can't take part.
        // (Concurrent joins may briefly show either first until both have synced; tell the app each change.)
        const author = joinAuthor(log.entries(), myInviteId);
        const taken = author !== undefined && author !== self;
        if (taken !== inviteTaken) {
          inviteTaken = taken;
          emit({ type: 'invite-taken', walletId: room.walletId, taken });
        }
        if (taken) return;
        // Joining an existing wallet: the inviter published its public package with our invite.
        const add = addInviteFor(log.entries(), room.creator, room.walletId, myInviteId);
        if (add) {
          unsubscribe();
          // Kept sealed so that a reload before the reshare can pick up here (`reopen`); not a wallet being created.
          s.joiningSaved = saveJoiningRecord(p.store, room.walletId, { inviteId: myInviteId, pub: add.pub }).then(() =>
            deleteCreationRecord(p.store, room.walletId),
          );
          s.creating = undefined;
          s.joiningSaved.catch(() => undefined); // surfaced to whoever awaits it (restoreBackup)
          joining.becomeNewcomer(room, add.pub);
          return;
        }
      }
      const pending = pendingRoster(log.entries(), room.creator, room.walletId);
      if (!pending) return;
      s.onboarding = { room, pending };
      // Compared whole, not by count: two joins with one invite can swap places once both have synced.
      if (pending.members.join() !== lastMembers) {
        lastMembers = pending.members.join();
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
    const runAttempt = (pending: PendingRoster, attempt: NonNullable<typeof running>) => {
      const result = (async () => {
        if (s.creating) {
          s.creating = { ...s.creating, started: attempt.creationId };
          await saveCreationRecord(p.store, room.walletId, s.creating);
        }
        if (attempt.cancelled || !s.log) throw new CairnError('ABORTED', attempt.cancelled ?? 'The wallet was closed');
        const run = runProtocol(
          dkgDescriptor,
          {
            walletId: hexToBytesStrict(room.walletId, 'wallet id', 32),
            deviceKeys: pending.members,
            self,
            threshold: pending.creation.threshold,
            requestId: hexToBytesStrict(attempt.creationId, 'creation id', 32),
          },
          env,
        );
        attempt.cancel = run.cancel;
        return run.result;
      })();
      result.then(
        async ({ keyPackage, publicPackage }) => {
          unsubscribe();
          await putCurrentEpoch(p.store, room.walletId, {
            epoch: 0,
            keyPackage: encodeKeyPackage(keyPackage),
            publicPackage: encodePublicPackage(publicPackage),
          });
          await deleteCreationRecord(p.store, room.walletId); // the key is stored: a reload opens as a guardian
          if (stopped) return; // closed meanwhile: the next open finds the key
          s.creating = undefined;
          running = undefined;
          ctx.becomeReady(room.walletId, keyPackage);
        },
        (err) => {
          if (stopped) return; // closed: nothing of this wallet is open any more
          running = undefined;
          // Callers already waiting learn of the abort; later callers wait for a retry.
          const aborted = s.ready;
          ctx.resetReady();
          aborted.reject(err);
          queueMicrotask(check); // a retry may already be in the log
        },
      );
    };
    // Membership changes re-filter the log from inside its own delivery: defer to a microtask.
    const unsubscribe = s.log!.subscribe(() => queueMicrotask(check));
    let stopped = false;
    s.stopOnboarding = () => {
      stopped = true;
      unsubscribe();
      if (running && !running.cancelled) {
        running.cancelled = 'The wallet was closed';
        running.cancel?.(running.cancelled);
      }
    };
  }

  /** See `createWallet` on the facade. */
  async function createWallet({ threshold, guardians }: { threshold: number; guardians: number }): Promise<{ walletId: string; invites: Invite[] }> {
    // Checked before anything is stored: with n < 2 no invite would be made (and checked), and the
    // device would keep a room and a creation record for an entry every decoder refuses.
    if (!Number.isInteger(guardians) || guardians < 2 || guardians > 255 || !Number.isInteger(threshold) || threshold < 2 || threshold > guardians)
      throw new CairnError('BAD_PARAMETERS', 'A wallet needs 2–255 guardians and a threshold from 2 to their number');
    const walletId = toHex(randomBytes(32));
    const roomSecret = randomBytes(32);
    const signalingUrls = requireSignaling(p.signalingUrls);
    const ice = p.ice ?? noIceServers();
    const expiresAt = clock.now() + (p.inviteTtlMs ?? 24 * 3600_000);
    const invites = Array.from({ length: guardians - 1 }, () =>
      createInvite({ walletId, roomSecret, signalingUrls, ice, inviter: self, threshold, guardians, expiresAt }),
    );
    const room = { walletId, roomSecret, creator: self, signalingUrls, ice };
    await saveWalletRoom(p.store, room);
    // Before the creation entry: a reload from then on reopens with the same invites (`reopen`).
    await saveCreationRecord(p.store, walletId, { role: 'creator', invites });
    const { log, env } = await ctx.connectTo(room, [self]);
    s.creating = { role: 'creator', invites };
    log.append(CREATION_LOG_KIND, encodeCreation({ walletId, threshold, guardians, inviteHashes: invites.map((i) => inviteHash(i.inviteId)) }));
    onboard(room, env);
    return { walletId, invites };
  }

  /** See `retryWalletCreation` on the facade. */
  function retryWalletCreation(): void {
    if (!s.log || !s.onboarding || s.current) throw new CairnError('NOT_FOUND', 'No wallet creation to retry on this device');
    if (s.onboarding.room.creator !== self) throw new CairnError('BAD_PARAMETERS', 'Only the guardian who created the wallet can restart its creation');
    const { creation, attempt } = s.onboarding.pending;
    if (attempt >= 255) throw new CairnError('BAD_PARAMETERS', 'Too many attempts; create a new wallet');
    s.log.append(CREATION_LOG_KIND, encodeCreation({ ...creation, attempt: attempt + 1 }));
  }

  /** See `join` on the facade. */
  async function join(invite: Invite): Promise<{ walletId: string }> {
    if (clock.now() >= invite.expiresAt) throw new CairnError('EXPIRED', 'This invite has expired. Ask the guardian who sent it for a new one.');
    const room = { walletId: invite.walletId, roomSecret: invite.roomSecret, creator: invite.inviter, signalingUrls: invite.signalingUrls, ice: invite.ice };
    await saveWalletRoom(p.store, room);
    // Before the join entry: a reload from then on reopens without joining twice (`reopen`).
    await saveCreationRecord(p.store, invite.walletId, { role: 'joiner', inviteId: invite.inviteId });
    const { env } = await ctx.connectTo(room, [invite.inviter]);
    s.creating = { role: 'joiner', inviteId: invite.inviteId };
    onboard(room, env, invite.inviteId); // appends the join once the inviter's entries have synced
    return { walletId: invite.walletId };
  }

  /**
   * After a reload, a device that created or joined a wallet whose key is not made yet: same room,
   * no entry appended again — once the log shows its own creation entry (or, for a joiner, its
   * invite; a join the reload cut off before it went in is appended then), it watches the pending
   * roster as before (and runs the DKG when all n are in).
   */
  async function reopenGathering(walletId: string, record: CreationRecord): Promise<void> {
    const room = await loadWalletRoom(p.store, walletId);
    const { log, env } = await ctx.connectTo(room, [room.creator, self]);
    try {
      await whenLogShows(log, (entries) => reverifyCreation(entries, { record, creator: room.creator, walletId }), clock, p.rejoinTimeoutMs ?? 60_000);
    } catch (err) {
      await ctx.close(); // nothing half-open: the caller may try again
      throw err;
    }
    s.creating = record;
    onboard(room, env, record.role === 'joiner' ? record.inviteId : undefined, record.started);
  }

  /** See `creatorInvites` on the facade. */
  function creatorInvites(): { invite: Invite; used: boolean }[] {
    const creating = s.creating;
    if (creating?.role !== 'creator') return [];
    const used = s.log ? usedInvites(s.log.entries(), creating.invites, s.onboarding?.pending.members ?? []) : [];
    return creating.invites.map((invite, i) => ({ invite, used: used[i] ?? false }));
  }

  return { createWallet, retryWalletCreation, join, reopenGathering, creatorInvites };
}

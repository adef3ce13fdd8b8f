/**
 * The guardian facade's newcomer path: a device that joined an existing wallet with an add invite
 * (`guardianInvite.ts`) holds no share until a reshare names it. It follows the inviter's public
 * package, may restore a lost guardian's paper backup to deal in its place (`backupRestored.ts`),
 * reopens after a reload from its sealed joining record (`joiningRecord.ts`), and forgets all of
 * it when the wallet moves on without it.
 */
import { CairnError, encodeKeyPackage, groupKeyOf, type PublicPackage } from '../core/index.ts';
import { toHex } from '../device/byteCodec.ts';
import { restoreShareFromWords } from '../device/backup.ts';
import type { LogEntry } from '../net/requestLog.ts';
import {
  BACKUP_RESTORED_LOG_KIND,
  backupRestoredBody,
  decodeBackupRestored,
  deleteRestoredShares,
  restoredBackups,
  restoredShareRecord,
  verifyBackupRestored,
  type RestoredBackup,
} from './backupRestored.ts';
import { deleteUnusedNonces, type GuardianContext } from './guardianState.ts';
import { deleteJoiningRecord, movedOnWithout, whenJoiningReverified, type JoiningRecord } from './joiningRecord.ts';
import { loadWalletRoom, type WalletRoom } from './walletRoomRecord.ts';

export type GuardianJoining = ReturnType<typeof createGuardianJoining>;

export function createGuardianJoining(ctx: GuardianContext) {
  const { p, self, s, emit } = ctx;

  /** A restored-backup claim that fails its checks is reported naming its author (stale epochs are just history). */
  function checkRestoredEntry(e: LogEntry): void {
    const pub = s.current?.pub ?? s.newcomer;
    if (!pub) return;
    try {
      if (decodeBackupRestored(e.body).epoch < pub.epoch) return;
    } catch {
      // unreadable: reported below
    }
    try {
      verifyBackupRestored(e, pub, [...ctx.invitedFor(pub), self]);
    } catch (err) {
      const code = err instanceof CairnError ? err.code : 'MALFORMED';
      emit({ type: 'rejected', from: e.author, code, reason: err instanceof CairnError ? err.shortMessage : 'Unreadable backup-restored entry' });
    }
  }

  /** Joined with an add invite: takes part in a reshare naming it with the inviter's public package. */
  function becomeNewcomer(room: WalletRoom, pub: PublicPackage): void {
    s.newcomer = pub;
    const members = [...pub.roster.deviceKeys.map(toHex), self];
    s.log!.setMembers(members);
    emit({ type: 'roster', members, needed: members.length });
    s.refresher?.reevaluate();
    queueMicrotask(() => checkMovedOn(room.walletId));
  }

  /** A joining device the wallet moved on without: its invite is spent and a restored backup is of a past epoch. */
  function checkMovedOn(walletId: string): void {
    const pub = s.newcomer;
    if (!s.log || s.current || !pub || !movedOnWithout(s.log.entries(), pub, self)) return;
    s.newcomer = undefined;
    const forget = async () => {
      await s.joiningSaved?.catch(() => undefined);
      await deleteJoiningRecord(p.store, walletId);
      await deleteRestoredShares(p.store, walletId);
    };
    // Locked meanwhile: the records stay, and the next reopen finds the same entries and tries again.
    void forget().then(
      () => emit({ type: 'not-added', walletId }),
      () => undefined,
    );
  }

  /**
   * After a reload, in the joining state this device was in: same room, and the inviter's public
   * package once the log shows the same add invite and this device's join again.
   */
  async function reopenJoining(walletId: string, record: JoiningRecord): Promise<PublicPackage> {
    const room = await loadWalletRoom(p.store, walletId);
    await deleteUnusedNonces(p.store, walletId);
    const { log } = await ctx.connectTo(room, [room.creator]);
    let pub: PublicPackage;
    try {
      pub = await whenJoiningReverified(log, { record, inviter: room.creator, walletId, self }, ctx.clock, p.rejoinTimeoutMs ?? 60_000);
    } catch (err) {
      await ctx.close(); // nothing half-open: the caller may try again
      throw err;
    }
    s.joiningSaved = Promise.resolve();
    becomeNewcomer(room, pub);
    return pub;
  }

  /** See `restoreBackup` on the facade. */
  async function restoreBackup(words: string | readonly string[]): Promise<{ lost: string }> {
    const pub = s.newcomer;
    if (!s.log || s.current || !pub)
      throw new CairnError('NOT_FOUND', 'Only a device that joined with an invite, and holds no share yet, can restore a backup');
    await s.joiningSaved; // the restored share is only worth keeping if this device can come back to it after a reload
    const walletId = toHex(pub.walletId);
    const holders = pub.roster.identifiers.map((id) => ({ identifier: id, verifyingShare: toHex(pub.verifyingShares[id]!) }));
    const restored = restoreShareFromWords(words, { walletId, groupKey: toHex(groupKeyOf(pub)), epoch: pub.epoch, holders });
    const encoded = encodeKeyPackage({ identifier: restored.identifier, signingShare: restored.share, public: pub });
    try {
      const lost = toHex(pub.roster.deviceKeys[pub.roster.identifiers.indexOf(restored.identifier)]!);
      await p.store.putRecord(restoredShareRecord.name(walletId, lost), encoded); // sealed: the plaintext isn't kept
      s.log.append(BACKUP_RESTORED_LOG_KIND, backupRestoredBody(pub, lost, self, restored.share));
      return { lost };
    } finally {
      restored.share.fill(0);
      encoded.fill(0);
    }
  }

  /** Verified restored backups of the current epoch (holders: to offer them as dealers). */
  function verifiedRestoredBackups(): RestoredBackup[] {
    const pub = s.current?.pub ?? s.newcomer;
    return s.log && pub ? restoredBackups(s.log.entries(), pub, [...ctx.invitedFor(pub), self]) : [];
  }

  return { checkRestoredEntry, becomeNewcomer, checkMovedOn, reopenJoining, restoreBackup, restoredBackups: verifiedRestoredBackups };
}

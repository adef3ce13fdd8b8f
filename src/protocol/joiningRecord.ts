/**
 * A device that joined an existing wallet with a guardian's add invite (`guardianInvite.ts`) and
 * holds no share yet is "joining". What it needs to pick up where it was after a reload is kept
 * sealed in the share store like every wallet record, as `wallet/<id>/joining`:
 *
 *     v u8 = 1 ‖ inviteId 16 ‖ the inviter's public package var32
 *
 * The room itself is `wallet/<id>/room` (`walletRoomRecord.ts`); a restored paper backup is
 * `wallet/<id>/restored/<lost>` (`backupRestored.ts`). On reopen the stored package is not taken
 * on its own word: the device waits until the log shows, as on its first join, the inviter's add
 * invite carrying that invite's hash, with the very same package, and its own join with that
 * invite (`joinedWith`). The invite is spent: a reload never appends a second join.
 *
 * The record goes when a reshare makes the device a guardian, or when the log shows the wallet
 * moved past that epoch without it (`movedOnWithout`): then its restored backups go too (an old
 * epoch's share is only a liability).
 */
import { CairnError, decodePublicPackage, encodePublicPackage, type PublicPackage } from '../core/index.ts';
import { ByteReader, ByteWriter, equalBytes, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { recordNames } from '../device/walletRecords.ts';
import { joinBodyInviteId } from '../net/invite.ts';
import { JOIN_INVITE_ID_BYTES, type LogEntry, type RequestLog } from '../net/requestLog.ts';
import type { Clock } from './clock.ts';
import { decodeEpochAnnouncement, EPOCH_ANNOUNCEMENT_KIND } from './epochAnnouncement.ts';
import { addInvites, type AddInvite } from './guardianInvite.ts';
import { CREATION_LOG_KIND, inviteHash } from './walletCreation.ts';
import { whenLogShows } from './whenLogShows.ts';

export type JoiningRecord = { inviteId: string; pub: PublicPackage };

const MAX_PACKAGE = 256 * 1024;

export function encodeJoiningRecord(r: JoiningRecord): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(r.inviteId, 'invite id', JOIN_INVITE_ID_BYTES))
    .var32(encodePublicPackage(r.pub))
    .finish();
}

export function decodeJoiningRecord(bytes: Uint8Array): JoiningRecord {
  const r = new ByteReader(bytes, 'joining record');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const inviteId = toHex(r.bytes(JOIN_INVITE_ID_BYTES, 'invite id'));
  const pub = decodePublicPackage(r.var32('public package', MAX_PACKAGE));
  r.end();
  return { inviteId, pub };
}

export async function saveJoiningRecord(store: ShareStore, walletId: string, r: JoiningRecord): Promise<void> {
  await store.putRecord(recordNames.joining(walletId), encodeJoiningRecord(r));
}

export async function loadJoiningRecord(store: ShareStore, walletId: string): Promise<JoiningRecord | undefined> {
  const raw = await store.getRecord(recordNames.joining(walletId));
  return raw && decodeJoiningRecord(raw);
}

export async function deleteJoiningRecord(store: ShareStore, walletId: string): Promise<void> {
  await store.deleteRecord(recordNames.joining(walletId));
}

/** The inviter's add invite for `inviteId`, as the log shows it (the first one, in log order). */
export function addInviteFor(entries: readonly LogEntry[], inviter: string, walletId: string, inviteId: string): (AddInvite & { author: string }) | undefined {
  const hash = inviteHash(inviteId);
  return addInvites(entries, [inviter], walletId).find((a) => a.inviteHash === hash);
}

/** Who joined with `inviteId`, if anyone (the log keeps only the first join per invite). */
export function joinAuthor(entries: readonly LogEntry[], inviteId: string): string | undefined {
  return entries.find((e) => {
    if (e.kind !== 'join') return false;
    try {
      return joinBodyInviteId(e.body) === inviteId;
    } catch {
      return false;
    }
  })?.author;
}

/** True once the log holds `self`'s join with `inviteId`. */
export function joinedWith(entries: readonly LogEntry[], self: string, inviteId: string): boolean {
  return joinAuthor(entries, inviteId) === self;
}

/**
 * The stored record checked against the log the way the first join checked it: the inviter's add
 * invite for this invite, with the same public package, and this device's own join. `undefined`
 * while the log doesn't show both yet; a `CairnError` naming the inviter if its package differs.
 */
export function reverifyJoining(
  entries: readonly LogEntry[],
  p: { record: JoiningRecord; inviter: string; walletId: string; self: string },
): PublicPackage | undefined {
  const add = addInviteFor(entries, p.inviter, p.walletId, p.record.inviteId);
  if (!add || !joinedWith(entries, p.self, p.record.inviteId)) return undefined;
  if (!equalBytes(encodePublicPackage(add.pub), encodePublicPackage(p.record.pub)))
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The invite in the log carries another public package than the one this device joined with', {
      culprits: [add.author],
    });
  return add.pub;
}

/** Resolves with `reverifyJoining`'s package once the log shows it; rejects on a mismatch or after `timeoutMs`. */
export function whenJoiningReverified(log: RequestLog, p: Parameters<typeof reverifyJoining>[1], clock: Clock, timeoutMs: number): Promise<PublicPackage> {
  return whenLogShows(log, (entries) => reverifyJoining(entries, p), clock, timeoutMs);
}

/**
 * Whether the log shows the wallet past `pub`'s epoch without `self`: a holder's add invite whose
 * package is newer and doesn't list it, or a holder's epoch announcement for a newer epoch while
 * no reshare of `pub`'s epoch ever named it. A device named in such a reshare that is still not a
 * guardian keeps its record (its run may have failed here only): it is never dropped on a guess.
 */
export function movedOnWithout(entries: readonly LogEntry[], pub: PublicPackage, self: string): boolean {
  const holders = pub.roster.deviceKeys.map(toHex);
  const walletId = toHex(pub.walletId);
  const byHolder = entries.filter((e) => holders.includes(e.author));
  if (addInvites(byHolder, holders, walletId).some((a) => a.pub.epoch > pub.epoch && !a.pub.roster.deviceKeys.map(toHex).includes(self))) return true;
  let namedMe = false;
  let newer = false;
  for (const e of byHolder) {
    if (e.kind !== EPOCH_ANNOUNCEMENT_KIND) continue;
    try {
      const a = decodeEpochAnnouncement(e.body);
      if (a.epoch > pub.epoch) newer = true;
      if (a.kind === 'reshare' && a.epoch === pub.epoch && (a.newHolders.includes(self) || (a.actors ?? []).some((x) => x.device === self))) namedMe = true;
    } catch {
      continue; // unreadable announcements are reported by the epoch coordinator
    }
  }
  return newer && !namedMe;
}

/** Log kinds that can show the wallet moving on (`movedOnWithout`). */
export const MOVED_ON_KINDS: readonly string[] = [CREATION_LOG_KIND, EPOCH_ANNOUNCEMENT_KIND];

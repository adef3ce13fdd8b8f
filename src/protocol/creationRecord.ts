/**
 * A device that created, or joined with an invite, a wallet whose key is not made yet (the DKG has
 * not finished) is "gathering". What it needs to pick up where it was after a reload is kept sealed
 * in the share store like every wallet record, as `wallet/<id>/creating`:
 *
 *     v u8 = 1 ‖ role u8 ‖ role data ‖ started u8 (0 | 1) [‖ creation entry id 32]
 *     role 1 (creator): count u8 ‖ invite var16 × count      (`encodeInvite`: the links it shows again)
 *     role 2 (joiner):  inviteId 16                           (the invite its join entry used)
 *
 * The room itself (room secret, creator, signaling URLs) is `wallet/<id>/room` (`walletRoomRecord.ts`).
 * The creator's invites hold the room secret and the unused invite ids: secret, hence sealed here
 * and never in localStorage. On reopen nothing is appended again: the device waits until the log
 * shows its own entry as it left it (the creator's creation entry listing these invites' hashes; the
 * joiner's join with its invite, `joinedWith`), then watches the pending roster as before.
 *
 * `started` is the creation entry (attempt) whose DKG this device began. A DKG's secrets live in
 * memory only, so a run cut short by a reload can't be resumed: on reopen the device doesn't run
 * that attempt again (its first round is already in the log); the creator appends the next attempt
 * at once, a joiner waits for the creator to (`retryWalletCreation`). The record goes once the key
 * is stored (`putCurrentEpoch`), or when the invite turned out to be a guardian's add invite (then
 * `joiningRecord.ts` takes over).
 */
import { CairnError } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { recordNames } from '../device/walletRecords.ts';
import { decodeInvite, encodeInvite, type Invite } from '../net/invite.ts';
import { JOIN_INVITE_ID_BYTES, type LogEntry } from '../net/requestLog.ts';
import { addInviteFor, joinAuthor } from './joiningRecord.ts';
import { inviteHash, pendingRoster, type PendingRoster } from './walletCreation.ts';

export type CreationRecord = { role: 'creator'; invites: Invite[]; started?: string } | { role: 'joiner'; inviteId: string; started?: string };

const MAX_INVITE = 8 * 1024;

export function encodeCreationRecord(r: CreationRecord): Uint8Array {
  const w = new ByteWriter().u8(1);
  if (r.role === 'creator') {
    if (r.invites.length > 255) throw new CairnError('BAD_PARAMETERS', 'Too many invites');
    w.u8(1).u8(r.invites.length);
    for (const i of r.invites) w.var16(encodeInvite(i));
  } else {
    w.u8(2).bytes(hexToBytesStrict(r.inviteId, 'invite id', JOIN_INVITE_ID_BYTES));
  }
  if (r.started) w.u8(1).bytes(hexToBytesStrict(r.started, 'creation entry id', 32));
  else w.u8(0);
  return w.finish();
}

export function decodeCreationRecord(bytes: Uint8Array): CreationRecord {
  const r = new ByteReader(bytes, 'creation record');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const role = r.u8('role');
  let out: CreationRecord;
  if (role === 1) {
    const count = r.u8('count');
    // Expiry is checked where an invite is used (the joiner's join), not when the creator shows it again.
    out = { role: 'creator', invites: Array.from({ length: count }, () => decodeInvite(r.var16('invite', MAX_INVITE), 0)) };
  } else if (role === 2) {
    out = { role: 'joiner', inviteId: toHex(r.bytes(JOIN_INVITE_ID_BYTES, 'invite id')) };
  } else {
    throw r.malformed('unknown role');
  }
  const started = r.u8('started');
  if (started > 1) throw r.malformed('bad started flag');
  if (started) out.started = toHex(r.bytes(32, 'creation entry id'));
  r.end();
  return out;
}

export async function saveCreationRecord(store: ShareStore, walletId: string, r: CreationRecord): Promise<void> {
  await store.putRecord(recordNames.creating(walletId), encodeCreationRecord(r));
}

export async function loadCreationRecord(store: ShareStore, walletId: string): Promise<CreationRecord | undefined> {
  const raw = await store.getRecord(recordNames.creating(walletId));
  if (!raw) return undefined;
  try {
    return decodeCreationRecord(raw);
  } finally {
    raw.fill(0);
  }
}

export async function deleteCreationRecord(store: ShareStore, walletId: string): Promise<void> {
  await store.deleteRecord(recordNames.creating(walletId));
}

/**
 * The stored record checked against the log: the creator's creation entry (by `creator`, for this
 * wallet) listing the creator's invites, or — for a joiner — its invite, listed by the creation
 * entry or by a guardian's add invite (the device joined an existing wallet and the reload came
 * before it saw so). `undefined` while the log doesn't show it. Whether this device's join is in
 * the log, still to be appended or beaten by another device's is the onboarding's to decide.
 */
export function reverifyCreation(
  entries: readonly LogEntry[],
  p: { record: CreationRecord; creator: string; walletId: string },
): PendingRoster | 'add-invite' | undefined {
  const pending = pendingRoster(entries, p.creator, p.walletId);
  if (p.record.role === 'creator') {
    if (!pending) return undefined;
    const mine = p.record.invites.map((i) => inviteHash(i.inviteId));
    if (mine.join() !== pending.creation.inviteHashes.join())
      throw new CairnError('INCONSISTENT_COMMITMENTS', "The wallet's creation entry lists other invites than the ones this device made", {
        culprits: [p.creator],
      });
    return pending;
  }
  return inviteIssued(entries, p.creator, p.walletId, p.record.inviteId);
}

/** The log shows `inviteId` issued by `inviter`: in the wallet's creation entry, or as an add invite. */
export function inviteIssued(entries: readonly LogEntry[], inviter: string, walletId: string, inviteId: string): PendingRoster | 'add-invite' | undefined {
  const pending = pendingRoster(entries, inviter, walletId);
  if (pending?.creation.inviteHashes.includes(inviteHash(inviteId))) return pending;
  return addInviteFor(entries, inviter, walletId, inviteId) ? 'add-invite' : undefined;
}

/** Which of the creator's invites a member's join in the log has used (the log keeps the first join per invite). */
export function usedInvites(entries: readonly LogEntry[], invites: readonly Invite[], members: readonly string[]): boolean[] {
  return invites.map((i) => {
    const author = joinAuthor(entries, i.inviteId);
    return author !== undefined && members.includes(author);
  });
}

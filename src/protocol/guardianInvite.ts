/**
 * Adding a guardian to an existing wallet. A holder issues an invite and appends a `roster` entry
 * (version 2, "add invite") with the invite's hash and the current public package; the new device
 * joins with the invite (`join` entry), learns the roster from that entry (its author is the
 * inviter it trusts), and takes part in the reshare that names it as a new holder.
 *
 *     add invite = v u8 = 2 ‖ walletId 32 ‖ SHA-256(inviteId) 32 ‖ publicPackage var32
 *
 * Holders accept a reshare to a device only if it joined with an invite some holder issued.
 */
import { decodePublicPackage, encodePublicPackage, type PublicPackage } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { joinBodyInviteId } from '../net/invite.ts';
import type { LogEntry } from '../net/requestLog.ts';
import { CREATION_LOG_KIND, inviteHash } from './walletCreation.ts';

export type AddInvite = { walletId: string; inviteHash: string; pub: PublicPackage };

export function encodeAddInvite(a: AddInvite): Uint8Array {
  return new ByteWriter()
    .u8(2)
    .bytes(hexToBytesStrict(a.walletId, 'wallet id', 32))
    .bytes(hexToBytesStrict(a.inviteHash, 'invite hash', 32))
    .var32(encodePublicPackage(a.pub))
    .finish();
}

export function decodeAddInvite(bytes: Uint8Array): AddInvite {
  const r = new ByteReader(bytes, 'add invite');
  if (r.u8('version') !== 2) throw r.malformed('not an add invite');
  const walletId = toHex(r.bytes(32, 'wallet id'));
  const hash = toHex(r.bytes(32, 'invite hash'));
  const pub = decodePublicPackage(r.var32('public package', 64 * 1024));
  r.end();
  return { walletId, inviteHash: hash, pub };
}

/** The add invites in the log by `authors` (holders) for this wallet. */
export function addInvites(entries: readonly LogEntry[], authors: readonly string[], walletId: string): (AddInvite & { author: string })[] {
  const out: (AddInvite & { author: string })[] = [];
  for (const e of entries) {
    if (e.kind !== CREATION_LOG_KIND || !authors.includes(e.author) || e.body[0] !== 2) continue;
    try {
      const a = decodeAddInvite(e.body);
      if (a.walletId === walletId) out.push({ ...a, author: e.author });
    } catch {
      continue;
    }
  }
  return out;
}

/** Devices that joined with an add invite issued by one of `holders`. */
export function invitedDevices(entries: readonly LogEntry[], holders: readonly string[], walletId: string): string[] {
  const hashes = new Set(addInvites(entries, holders, walletId).map((a) => a.inviteHash));
  const out: string[] = [];
  for (const e of entries) {
    if (e.kind !== 'join' || out.includes(e.author) || holders.includes(e.author)) continue;
    try {
      if (hashes.has(inviteHash(joinBodyInviteId(e.body)))) out.push(e.author);
    } catch {
      continue;
    }
  }
  return out;
}

/** Device → the holder whose add invite it joined with (for "invited by Ann" and the sole-control warning). */
export function invitersOf(entries: readonly LogEntry[], pub: PublicPackage): Map<string, string> {
  const holders = pub.roster.deviceKeys.map(toHex);
  const inviterOfHash = new Map(addInvites(entries, holders, toHex(pub.walletId)).map((a) => [a.inviteHash, a.author]));
  const out = new Map<string, string>();
  for (const e of entries) {
    if (e.kind !== 'join' || out.has(e.author) || holders.includes(e.author)) continue;
    try {
      const inviter = inviterOfHash.get(inviteHash(joinBodyInviteId(e.body)));
      if (inviter) out.set(e.author, inviter);
    } catch {
      continue;
    }
  }
  return out;
}

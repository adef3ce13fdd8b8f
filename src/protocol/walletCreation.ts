/**
 * Onboarding entries. The creator opens the wallet's log with a `roster` entry ("creation") naming
 * the wallet, t, n and the SHA-256 of every invite id it issued; each joiner appends a `join` entry
 * that reveals its invite id (`src/net/invite.ts`). The pending roster is computed from the log the
 * same way on every device: the creator, then the authors of the first joins (log order) whose
 * invite hashes the creation lists, one per device, until n. Hashes rather than ids: a member can't
 * use an unused invite it merely read in the log.
 *
 *     creation = v u8 = 1 ‖ walletId 32 ‖ t u8 ‖ n u8 ‖ count u8 ‖ SHA-256(inviteId) 32 × count
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CairnError } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { joinBodyInviteId } from '../net/invite.ts';
import type { LogEntry } from '../net/requestLog.ts';

export const CREATION_LOG_KIND = 'roster';

export type WalletCreation = { walletId: string; threshold: number; guardians: number; inviteHashes: readonly string[] };

export const inviteHash = (inviteId: string): string => toHex(sha256(hexToBytesStrict(inviteId, 'invite id', 16)));

export function encodeCreation(c: WalletCreation): Uint8Array {
  if (c.inviteHashes.length > 255) throw new CairnError('BAD_PARAMETERS', 'Too many invites');
  const w = new ByteWriter().u8(1).bytes(hexToBytesStrict(c.walletId, 'wallet id', 32)).u8(c.threshold).u8(c.guardians).u8(c.inviteHashes.length);
  for (const h of c.inviteHashes) w.bytes(hexToBytesStrict(h, 'invite hash', 32));
  return w.finish();
}

export function decodeCreation(bytes: Uint8Array): WalletCreation {
  const r = new ByteReader(bytes, 'wallet creation');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const walletId = toHex(r.bytes(32, 'wallet id'));
  const threshold = r.u8('threshold');
  const guardians = r.u8('guardians');
  const count = r.u8('count');
  const inviteHashes = Array.from({ length: count }, () => toHex(r.bytes(32, 'invite hash')));
  r.end();
  if (threshold < 2 || threshold > guardians) throw r.malformed('threshold out of range');
  return { walletId, threshold, guardians, inviteHashes };
}

export type PendingRoster = {
  creation: WalletCreation;
  /** The creation entry's id: the DKG's request id. */
  creationId: string;
  /** Creator first, then joiners in log order. */
  members: string[];
  complete: boolean;
};

/** The pending roster as the log shows it, or undefined before the creator's entry arrived. */
export function pendingRoster(entries: readonly LogEntry[], creator: string, walletId: string): PendingRoster | undefined {
  let creation: WalletCreation | undefined;
  let creationId = '';
  for (const e of entries) {
    if (e.kind !== CREATION_LOG_KIND || e.author !== creator) continue;
    try {
      const c = decodeCreation(e.body);
      if (c.walletId !== walletId) continue;
      creation = c;
      creationId = e.id;
      break;
    } catch {
      continue;
    }
  }
  if (!creation) return undefined;
  const hashes = new Set(creation.inviteHashes);
  const members = [creator];
  for (const e of entries) {
    if (members.length >= creation.guardians) break;
    if (e.kind !== 'join' || members.includes(e.author)) continue;
    try {
      if (hashes.has(inviteHash(joinBodyInviteId(e.body)))) members.push(e.author);
    } catch {
      continue;
    }
  }
  return { creation, creationId, members, complete: members.length === creation.guardians };
}

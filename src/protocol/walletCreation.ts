/**
 * Onboarding entries. The creator opens the wallet's log with a `roster` entry ("creation") naming
 * the wallet, t, n and the SHA-256 of every invite id it issued; each joiner appends a `join` entry
 * that reveals its invite id (`src/net/invite.ts`). The pending roster is computed from the log the
 * same way on every device: the creator, then the authors of the first joins (log order) whose
 * invite hashes the creation lists, one per device, until n. Hashes rather than ids: a member can't
 * use an unused invite it merely read in the log.
 *
 *     creation = v u8 = 1 ‖ walletId 32 ‖ t u8 ‖ n u8 ‖ count u8 ‖ SHA-256(inviteId) 32 × count
 *                [‖ attempt u8 (1..255)]
 *
 * If the DKG aborts (a guardian went away mid-way), the creator appends the same creation again
 * with the next `attempt`: same wallet, parameters, invites and joins; its entry id is the new
 * DKG's request id, so every device starts a fresh session.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CairnError } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { joinBodyInviteId } from '../net/invite.ts';
import type { LogEntry } from '../net/requestLog.ts';

export const CREATION_LOG_KIND = 'roster';

export type WalletCreation = { walletId: string; threshold: number; guardians: number; inviteHashes: readonly string[]; attempt?: number };

export const inviteHash = (inviteId: string): string => toHex(sha256(hexToBytesStrict(inviteId, 'invite id', 16)));

export function encodeCreation(c: WalletCreation): Uint8Array {
  if (c.inviteHashes.length > 255) throw new CairnError('BAD_PARAMETERS', 'Too many invites');
  const w = new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(c.walletId, 'wallet id', 32))
    .u8(c.threshold)
    .u8(c.guardians)
    .u8(c.inviteHashes.length);
  for (const h of c.inviteHashes) w.bytes(hexToBytesStrict(h, 'invite hash', 32));
  if (c.attempt) w.u8(c.attempt);
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
  const attempt = r.remaining > 0 ? r.u8('attempt') : 0;
  r.end();
  if (threshold < 2 || threshold > guardians) throw r.malformed('threshold out of range');
  return attempt ? { walletId, threshold, guardians, inviteHashes, attempt } : { walletId, threshold, guardians, inviteHashes };
}

export type PendingRoster = {
  creation: WalletCreation;
  /** The latest creation entry's id (the latest attempt): the DKG's request id. */
  creationId: string;
  attempt: number;
  /** Creator first, then joiners in log order. */
  members: string[];
  complete: boolean;
};

/** The pending roster as the log shows it, or undefined before the creator's entry arrived. */
export function pendingRoster(entries: readonly LogEntry[], creator: string, walletId: string): PendingRoster | undefined {
  let creation: WalletCreation | undefined;
  let creationId = '';
  let attempt = 0;
  for (const e of entries) {
    if (e.kind !== CREATION_LOG_KIND || e.author !== creator) continue;
    let c: WalletCreation;
    try {
      c = decodeCreation(e.body);
    } catch {
      continue;
    }
    if (c.walletId !== walletId) continue;
    if (!creation) {
      creation = c;
      creationId = e.id;
    } else if (sameWallet(creation, c) && (c.attempt ?? 0) > attempt) {
      // A retry only restarts the DKG: parameters and invites stay those of the first entry.
      attempt = c.attempt!;
      creationId = e.id;
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
  return { creation, creationId, attempt, members, complete: members.length === creation.guardians };
}

function sameWallet(a: WalletCreation, b: WalletCreation): boolean {
  return a.threshold === b.threshold && a.guardians === b.guardians && a.inviteHashes.join() === b.inviteHashes.join();
}

/**
 * Room membership follows the lineup: once the key is made, and after a reshare removes a device,
 * the wallet's room moves to a new secret that only the holders (and devices invited, not yet
 * added) receive, sealed to each in a `room-key` entry (`roomKeyEntry.ts`). A removed device — or
 * one that opened an invite link another device had already used, or anyone else holding an old
 * link — keeps the old secret and stays in the old room: it gets no entry written after the move,
 * and could not read one. New invites carry the current secret (the room record).
 *
 * - Who rotates: the new holder with the lowest device key (one writer, no race). If it is offline
 *   then, the room is not rotated (known gap).
 * - Which entry counts: the first one in log order whose epoch is this device's current epoch and
 *   whose author holds a share of that epoch — a device that is removed later cannot plant a room
 *   for an epoch it is not part of. Recomputed from the whole log, so a reload ends in the same room.
 * - Moving: the new secret is sealed into the room record first (a reload reconnects to the new
 *   room), then, after a short pause that lets the entry reach the others, the connection moves —
 *   it may wait until the other recipients present in the old room show they are moving too
 *   (`WalletConnection.moveTo`'s `followers`; the app does, through presence).
 *   A holder that was offline comes back to the old room, finds the entry there (from any device
 *   still in it) and follows.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { equalBytes, toHex } from '../device/byteCodec.ts';
import type { PublicPackage } from '../core/index.ts';
import type { LogEntry } from '../net/requestLog.ts';
import type { GuardianContext } from './guardianState.ts';
import { decodeRoomKey, openRoomKey, ROOM_KEY_LOG_KIND, sealRoomKey } from './roomKeyEntry.ts';
import { loadWalletRoom, saveWalletRoom } from './walletRoomRecord.ts';

/** Time for the `room-key` entry to reach the others before this device leaves the old room. */
export const ROOM_MOVE_DELAY_MS = 2_000;

export type RoomRotation = {
  /** After this device promoted to a new epoch: rotates if the reshare removed someone and this device is the designated writer. */
  afterPromotion(oldPub: PublicPackage | undefined, newPub: PublicPackage): void;
  /** The key is made (epoch 0): leaves the room every invite link of the creation named. */
  afterCreation(pub: PublicPackage): void;
  /** A `room-key` entry arrived (or the epoch changed): moves if the log names a newer room for this device. */
  reevaluate(): void;
  destroy(): void;
};

export function createRoomRotation(ctx: GuardianContext, walletId: string): RoomRotation {
  const { p, s, clock } = ctx;
  let timer: unknown;
  let destroyed = false;
  let moving: Promise<void> = Promise.resolve();

  /** The secret the log assigns to this device for its current epoch (and who else got it), if any. */
  function assigned(entries: readonly LogEntry[]): { secret: Uint8Array; followers: string[] } | undefined {
    const pub = s.current?.pub;
    if (!pub) return undefined;
    const holders = pub.roster.deviceKeys.map(toHex);
    for (const e of entries) {
      if (e.kind !== ROOM_KEY_LOG_KIND || !holders.includes(e.author)) continue;
      try {
        const entry = decodeRoomKey(e.body, e.author);
        if (entry.walletId !== walletId || entry.epoch !== pub.epoch) continue;
        const secret = openRoomKey(entry, e.author, p.identity);
        if (secret) return { secret, followers: entry.copies.map((c) => c.recipient).filter((k) => k !== ctx.self) };
      } catch {
        continue; // malformed: reported by the log's readers, never followed
      }
    }
    return undefined;
  }

  function moveTo(secret: Uint8Array, followers: string[]): void {
    moving = moving
      .then(async () => {
        if (destroyed) return;
        const room = await loadWalletRoom(p.store, walletId);
        if (equalBytes(room.roomSecret, secret)) return;
        await saveWalletRoom(p.store, { ...room, roomSecret: secret });
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = clock.setTimeout(() => {
          timer = undefined;
          if (!destroyed) void s.conn?.moveTo?.(secret, followers);
        }, ROOM_MOVE_DELAY_MS);
      })
      .catch(() => undefined);
  }

  /** The designated writer (lowest-keyed holder) seals a fresh secret to the lineup, once per epoch. */
  function rotate(pub: PublicPackage): void {
    const holders = pub.roster.deviceKeys.map(toHex);
    if (!s.log || [...holders].sort()[0] !== ctx.self || assigned(s.log.entries())) return;
    const recipients = [...new Set([...holders, ...ctx.invitedFor(pub)])];
    const roomSecret = randomBytes(32);
    s.log.append(ROOM_KEY_LOG_KIND, sealRoomKey({ author: p.identity, walletId, epoch: pub.epoch, roomSecret, recipients }));
    roomSecret.fill(0);
    reevaluate();
  }

  function reevaluate(): void {
    const found = s.log && assigned(s.log.entries());
    if (found) moveTo(found.secret, found.followers);
  }

  return {
    afterPromotion(oldPub, newPub) {
      if (!oldPub) return;
      const holders = newPub.roster.deviceKeys.map(toHex);
      if (oldPub.roster.deviceKeys.map(toHex).some((k) => !holders.includes(k))) rotate(newPub);
    },
    afterCreation(pub) {
      if (pub.epoch === 0) rotate(pub);
    },
    reevaluate,
    destroy() {
      destroyed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}

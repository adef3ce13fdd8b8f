/**
 * `room-key` log entries: a wallet's room moves to a new secret that only the named devices can
 * read. Written after a reshare removed a device, so that device (which keeps the old secret) meets
 * nobody in the old room any more and never sees the entries written in the new one.
 *
 *     body = v u8 = 1 ‖ walletId 32 ‖ epoch u32 ‖ count u8 (1..255) × { recipient 33 ‖ nonce 24 ‖ ct 48 }
 *
 * Each recipient's copy of the 32-byte secret is sealed with XChaCha20-Poly1305 under
 * `deviceEcdh(author, recipient, "cairn/room-key/v1" ‖ walletId ‖ epoch)`, with associated data
 * walletId ‖ epoch ‖ author ‖ recipient: a copy moved to another wallet, epoch or recipient, or
 * claimed by another author, fails to open. The entry itself is signed by its author (the log).
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex, utf8 } from '../device/byteCodec.ts';
import { deviceEcdh, type DeviceIdentity } from '../device/deviceIdentity.ts';

export const ROOM_KEY_LOG_KIND = 'room-key';
const SECRET_BYTES = 32;
const NONCE_BYTES = 24;
const SEALED_BYTES = SECRET_BYTES + 16;

export type RoomKeyEntry = { walletId: string; epoch: number; copies: { recipient: string; sealed: Uint8Array }[] };

const context = (walletId: string, epoch: number) =>
  new ByteWriter()
    .bytes(utf8('cairn/room-key/v1'))
    .bytes(hexToBytesStrict(walletId, 'wallet id', 32))
    .u32(epoch)
    .finish();
const associated = (walletId: string, epoch: number, author: string, recipient: string) =>
  new ByteWriter()
    .bytes(hexToBytesStrict(walletId, 'wallet id', 32))
    .u32(epoch)
    .bytes(hexToBytesStrict(author, 'author', 33))
    .bytes(hexToBytesStrict(recipient, 'recipient', 33))
    .finish();

/** The body `author` appends: `roomSecret` sealed to each of `recipients`. */
export function sealRoomKey(p: { author: DeviceIdentity; walletId: string; epoch: number; roomSecret: Uint8Array; recipients: string[] }): Uint8Array {
  const recipients = [...new Set(p.recipients)].sort();
  if (recipients.length < 1 || recipients.length > 255 || p.roomSecret.length !== SECRET_BYTES)
    throw new Error('room key: 1–255 recipients and a 32-byte secret');
  const w = new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(p.walletId, 'wallet id', 32))
    .u32(p.epoch)
    .u8(recipients.length);
  for (const recipient of recipients) {
    const key = deviceEcdh(p.author, recipient, context(p.walletId, p.epoch));
    const nonce = randomBytes(NONCE_BYTES);
    const sealed = xchacha20poly1305(key, nonce, associated(p.walletId, p.epoch, p.author.publicKey, recipient)).encrypt(p.roomSecret);
    key.fill(0);
    w.bytes(hexToBytesStrict(recipient, 'recipient', 33))
      .bytes(nonce)
      .bytes(sealed);
  }
  return w.finish();
}

/** Strict decoding; `MALFORMED` (CairnError) naming the author on any bad byte. */
export function decodeRoomKey(body: Uint8Array, author: string): RoomKeyEntry {
  const r = new ByteReader(body, 'room key', author);
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const walletId = toHex(r.bytes(32, 'wallet id'));
  const epoch = r.u32('epoch');
  const count = r.u8('recipient count');
  if (count < 1) throw r.malformed('no recipients');
  const copies: RoomKeyEntry['copies'] = [];
  for (let k = 0; k < count; k++) {
    const recipient = toHex(r.bytes(33, 'recipient'));
    if (copies.some((c) => c.recipient === recipient)) throw r.malformed('a recipient appears twice');
    copies.push({ recipient, sealed: r.bytes(NONCE_BYTES + SEALED_BYTES, 'sealed secret') });
  }
  r.end();
  return { walletId, epoch, copies };
}

/** This device's copy of the new secret, or undefined when it is not a recipient or the copy does not open. */
export function openRoomKey(entry: RoomKeyEntry, author: string, me: DeviceIdentity): Uint8Array | undefined {
  const mine = entry.copies.find((c) => c.recipient === me.publicKey);
  if (!mine) return undefined;
  let key: Uint8Array | undefined;
  try {
    key = deviceEcdh(me, author, context(entry.walletId, entry.epoch));
    const out = xchacha20poly1305(key, mine.sealed.subarray(0, NONCE_BYTES), associated(entry.walletId, entry.epoch, author, me.publicKey)).decrypt(
      mine.sealed.subarray(NONCE_BYTES),
    );
    return out.length === SECRET_BYTES ? out : undefined;
  } catch {
    return undefined;
  } finally {
    key?.fill(0);
  }
}

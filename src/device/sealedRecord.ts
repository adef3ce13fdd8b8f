/**
 * Sealed records: how every secret rests on disk (invariant 2, docs/invariants.md). Pure, synchronous, no I/O.
 *
 * Format v1 (all fixed-width):
 *
 *     "CSR" (3) ‖ formatVersion = 1 (1) ‖ nonce (12, random) ‖ AES-256-GCM ciphertext + tag (n + 16)
 *
 * Associated data = "cairn/sealed-record" ‖ formatVersion ‖ u16(len(name)) ‖ name. The record's name
 * (e.g. `wallet/<id>/current`) is authenticated, so a sealed value copied under another name — an
 * old staged epoch swapped in for the current one, one wallet's share swapped for another's — fails
 * to open instead of being silently accepted. Random 96-bit nonces are safe here: one key seals far
 * fewer than 2^32 records over its life.
 *
 * The key is 32 raw bytes held by the share store while unlocked (AES-GCM from @noble/ciphers, so
 * the same code runs in Node tests and the browser); the store wipes it on lock.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../core/errors.ts';
import { ByteWriter, utf8 } from './byteCodec.ts';

const MAGIC = utf8('CSR');
export const SEALED_FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + NONCE_BYTES;
/** Largest plaintext a record may hold (a key package is a few hundred bytes; this is generous). */
export const MAX_RECORD_PLAINTEXT = 1 << 20;
const MAX_NAME = 512;

function associatedData(name: string, version: number): Uint8Array {
  return new ByteWriter().bytes(utf8('cairn/sealed-record')).u8(version).str16(name).finish();
}

function checkKeyAndName(key: Uint8Array, name: string): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new CairnError('BAD_PARAMETERS', 'A record key must be 32 bytes');
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw new CairnError('BAD_PARAMETERS', 'A record name must be a non-empty string of at most 512 characters');
  }
}

/** Encrypts `plaintext` under `key`, bound to the record `name`. */
export function sealRecord(key: Uint8Array, name: string, plaintext: Uint8Array, rng: (n: number) => Uint8Array = randomBytes): Uint8Array {
  checkKeyAndName(key, name);
  if (!(plaintext instanceof Uint8Array) || plaintext.length > MAX_RECORD_PLAINTEXT) {
    throw new CairnError('BAD_PARAMETERS', 'Record plaintext must be bytes of at most 1 MiB');
  }
  const nonce = rng(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES) throw new CairnError('BAD_PARAMETERS', 'rng returned the wrong length');
  const ct = gcm(key, nonce, associatedData(name, SEALED_FORMAT_VERSION)).encrypt(plaintext);
  return new ByteWriter().bytes(MAGIC).u8(SEALED_FORMAT_VERSION).bytes(nonce).bytes(ct).finish();
}

/**
 * Decrypts a sealed record. Any tampering, a wrong key, or a value stored under another name →
 * `CairnError('BAD_SIGNATURE')` (authentication failed); a value that isn't a sealed record at all →
 * `MALFORMED`. Never returns unauthenticated bytes.
 */
export function openRecord(key: Uint8Array, name: string, sealed: Uint8Array): Uint8Array {
  checkKeyAndName(key, name);
  if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_BYTES + TAG_BYTES) {
    throw new CairnError('MALFORMED', `Sealed record "${name}" is too short or not bytes`);
  }
  if (sealed[0] !== MAGIC[0] || sealed[1] !== MAGIC[1] || sealed[2] !== MAGIC[2]) {
    throw new CairnError('MALFORMED', `Record "${name}" is not a sealed record`);
  }
  const version = sealed[3]!;
  if (version !== SEALED_FORMAT_VERSION) {
    throw new CairnError('MALFORMED', `Sealed record "${name}" has unknown format version ${version}`);
  }
  const nonce = sealed.subarray(4, HEADER_BYTES);
  try {
    return gcm(key, nonce, associatedData(name, version)).decrypt(sealed.subarray(HEADER_BYTES));
  } catch (cause) {
    throw new CairnError('BAD_SIGNATURE', `Sealed record "${name}" doesn't open with this key (tampered, swapped or wrong key)`, { cause });
  }
}

/**
 * The one place the core touches the curve library: secp256k1 points/scalars from noble, and the
 * RFC 9591 FROST(secp256k1, SHA-256) suite (`secp256k1_FROST`) everything else builds on.
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { secp256k1, secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof secp256k1.Point>;
export const Fn = Point.Fn;
export const frost = secp256k1_FROST;

/** Random bytes source. Production uses the platform CSPRNG; tests may inject a deterministic one. */
export type Rng = (bytes: number) => Uint8Array;
export const defaultRng: Rng = (n) => randomBytes(n);

/** A uniformly random non-zero scalar (48 bytes reduced mod n: bias < 2^-128). */
export function randomScalar(rng: Rng = defaultRng): bigint {
  for (;;) {
    const wide = rng(48);
    if (wide.length !== 48) throw new Error('rng returned the wrong number of bytes');
    let x = 0n;
    for (const b of wide) x = (x << 8n) | BigInt(b);
    const s = Fn.create(x);
    if (s !== 0n) return s;
  }
}

const dstBytes = new Map<string, Uint8Array>();

/**
 * Domain-separated hash to a scalar (RFC 9380 hash_to_field with m = 1, L = 48: expand_message_xmd
 * with SHA-256 to 48 bytes, big-endian, mod n) — what noble's `secp256k1_hasher.hashToScalar` and
 * RFC 9591's H1/H2 compute, without re-validating options and re-encoding the DST on every call.
 */
export function hashToScalar(dst: string, msg: Uint8Array): bigint {
  let d = dstBytes.get(dst);
  if (!d) {
    d = new TextEncoder().encode(dst);
    if (dstBytes.size < 64) dstBytes.set(dst, d);
  }
  return Fn.create(bytesToNumberBE(expand_message_xmd(msg, d, 48, sha256)));
}

/** The RFC 9591 FROST context string; our own hashes extend it so they never collide with the RFC's. */
export const FROST_CONTEXT = 'FROST-secp256k1-SHA256-v1';

/**
 * Byte-level helpers shared by the ECDSA sub-protocols: length-prefixed tagged hashing, canonical scalar and point
 * codecs that reject anything malformed, and fast bigint <-> bytes conversions (no hex strings on hot paths).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Fn, Point, type Rng } from '../curve.ts';
import { glvMultiply, mulBase, toAffineBatch } from './glvMultiply.ts';
import { decodeCompressed } from './hashToCurve.ts';
import { TAG_PREFIX } from './params.ts';

export { Fn, Point, defaultRng, type Rng } from '../curve.ts';
/** The group order n (the paper's q). */
export const N = Fn.ORDER;
export const ZERO_POINT = Point.ZERO;

const te = new TextEncoder();
export const ascii = (s: string): Uint8Array => te.encode(s);

export const mod = (a: bigint): bigint => {
  const r = a % N;
  return r < 0n ? r + N : r;
};

/** Tagged SHA-256 over u32-BE length-prefixed fields (guide §6), tag = TAG_PREFIX + name. */
export function hashTagged(name: string, ...fields: Uint8Array[]): Uint8Array {
  return taggedState(name, ...fields).digest();
}

type Sha256State = ReturnType<typeof sha256.create>;
const LEN = new Uint8Array(4);
const LEN_VIEW = new DataView(LEN.buffer);

/** Appends one length-prefixed field to a `taggedState`. */
export function absorb(h: Sha256State, f: Uint8Array): Sha256State {
  LEN_VIEW.setUint32(0, f.length);
  return h.update(LEN).update(f);
}

/**
 * The SHA-256 state of `hashTagged(name, ...fields)` before its digest: `absorb` more fields, `clone()` to reuse a
 * common prefix (many hashes that share their first fields), then `digest()`.
 */
export function taggedState(name: string, ...fields: Uint8Array[]): Sha256State {
  const h = sha256.create();
  absorb(h, ascii(TAG_PREFIX + name));
  for (const f of fields) absorb(h, f);
  return h;
}

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** 32-byte big-endian unsigned integer at `off` (not reduced). */
export function bytesToBig32(b: Uint8Array, off = 0): bigint {
  return big256At(new DataView(b.buffer, b.byteOffset, b.byteLength), off);
}

/**
 * `bytesToBig32` from a DataView the caller keeps for a whole buffer: the hot loops (ã, OT outputs) read thousands
 * of values from one buffer, and a DataView per value cost as much as the conversion.
 */
export const big256At = (v: DataView, off: number): bigint =>
  (((v.getBigUint64(off) << 64n) | v.getBigUint64(off + 8)) << 128n) | (v.getBigUint64(off + 16) << 64n) | v.getBigUint64(off + 24);

/** 48 bytes at `off` of a DataView as an unreduced 384-bit integer (for callers that reduce mod n later anyway). */
export const big384At = (v: DataView, off: number): bigint => (((v.getBigUint64(off) << 64n) | v.getBigUint64(off + 8)) << 256n) | big256At(v, off + 16);

/** 48 bytes at `off`, reduced mod n: statistical distance from uniform ≤ 2^-128 (guide pitfall 9). */
export function bytes48ToScalar(b: Uint8Array, off = 0): bigint {
  const dv = new DataView(b.buffer, b.byteOffset + off, 48);
  const hi = (dv.getBigUint64(0) << 320n) | (dv.getBigUint64(8) << 256n);
  return (hi + bytesToBig32(b, off + 16)) % N;
}

const M64 = (1n << 64n) - 1n;
/** Writes a scalar (0 ≤ x < 2^256) as 32 bytes big-endian into `out` at `off`. */
export function writeScalar(x: bigint, out: Uint8Array, off = 0): void {
  writeScalarAt(new DataView(out.buffer, out.byteOffset, out.byteLength), off, x);
}

/** `writeScalar` into a DataView the caller keeps for a whole buffer (see `big256At`). */
export function writeScalarAt(v: DataView, off: number, x: bigint): void {
  v.setBigUint64(off, x >> 192n);
  v.setBigUint64(off + 8, (x >> 128n) & M64);
  v.setBigUint64(off + 16, (x >> 64n) & M64);
  v.setBigUint64(off + 24, x & M64);
}

export function scalarToBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeScalar(x, out);
  return out;
}

/** Canonical scalar decode; `undefined` if the length is wrong or the value is ≥ n. */
export function decodeScalar(b: Uint8Array, off = 0): bigint | undefined {
  if (off + 32 > b.length) return undefined;
  const x = bytesToBig32(b, off);
  return x < N ? x : undefined;
}

/** Uniform nonzero scalar from the RNG (48 bytes reduced). */
export function randomScalar(rng: Rng): bigint {
  for (;;) {
    const x = bytes48ToScalar(rng(48));
    if (x !== 0n) return x;
  }
}

/** Hash to a scalar: tagged SHA-256 twice (two counters) gives 64 bytes, of which 48 are reduced mod n. */
export function hashToScalar(name: string, ...fields: Uint8Array[]): bigint {
  const a = hashTagged(name, u32(0), ...fields);
  const b = hashTagged(name, u32(1), ...fields);
  const buf = new Uint8Array(48);
  buf.set(a, 0);
  buf.set(b.subarray(0, 16), 32);
  return bytes48ToScalar(buf);
}

export const encodePoint = (p: Point): Uint8Array => p.toBytes(true);

/**
 * Compressed encodings of many non-identity points with one field inversion (Montgomery's trick) instead of one per
 * point; the same bytes as `encodePoint` (tests). Identity points throw, like noble's `toBytes`.
 */
export function encodePoints(points: readonly Point[]): Uint8Array[] {
  return toAffineBatch(points).map(({ X, Y }) => {
    const b = new Uint8Array(33);
    b[0] = 2 | Number(Y & 1n);
    writeScalar(X, b, 1);
    return b;
  });
}

/**
 * Strict point decode: exactly 33 bytes, 02/03 prefix, x < p, on the curve, not the identity.
 * Returns `undefined` instead of throwing so callers can attribute the failure. Square root on the fast field
 * (`hashToCurve.ts`); the tests check it against noble's `Point.fromBytes`.
 */
export function decodePoint(b: Uint8Array): Point | undefined {
  return b instanceof Uint8Array ? decodeCompressed(b) : undefined;
}

/** k·G in constant time (`mulBase`: fixed-base comb, masked table scans); 0 maps to the identity instead of throwing. */
export const mulG = (k: bigint): Point => (k === 0n ? ZERO_POINT : mulBase(k));
/** k·P for a secret 0 ≤ k < n (GLV with a regular signed window, glvMultiply.ts); 0 maps to the identity. */
export const mulSecret = (p: Point, k: bigint): Point => (k === 0n ? ZERO_POINT : glvMultiply(p, k));

/** Canonical identifier hex (64 lowercase hex chars) → nonzero scalar. */
export function identifierToScalar(id: string): bigint | undefined {
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) return undefined;
  const x = BigInt('0x' + id);
  return x > 0n && x < N ? x : undefined;
}

export const hexToBytes32 = (id: string): Uint8Array => scalarToBytes(BigInt('0x' + id));

export function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Constant-time equality of two byte arrays (length is public). */
export function ctEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

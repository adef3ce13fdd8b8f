/**
 * Canonical bytes — the one codec of every layer. Writers emit fixed-width big-endian integers,
 * fixed-length scalars (32 B), compressed points (33 B) and length-prefixed fields and lists;
 * readers check every length, range and point, bound every variable size and reject trailing
 * bytes, so one value has one encoding. Any problem is a `CairnError('MALFORMED')` naming the
 * field and, when the caller knows it, the sender.
 */
import { CairnError } from './errors.ts';
import { Fn, type Point } from './curve.ts';
import { decompressPoint } from './pointDecode.ts';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** Hard upper bound on list lengths in any package (rosters are far smaller). */
export const MAX_LIST = 256;
/** Hard upper bound on a variable-length byte field unless the caller sets one. */
export const MAX_BYTES = 1 << 20;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function assertUint(n: number, max: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > max) throw new CairnError('BAD_PARAMETERS', `Value out of range for ${what}`);
}

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  bytes(b: Uint8Array): this {
    this.parts.push(b.slice());
    this.size += b.length;
    return this;
  }
  u8(n: number): this {
    assertUint(n, 0xff, 'u8');
    return this.bytes(Uint8Array.of(n));
  }
  u16(n: number): this {
    assertUint(n, 0xffff, 'u16');
    return this.bytes(Uint8Array.of(n >>> 8, n & 0xff));
  }
  u32(n: number): this {
    assertUint(n, 0xffff_ffff, 'u32');
    return this.bytes(Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
  }
  /** A non-negative safe integer in 8 bytes (timestamps in ms, expiries). */
  u64(n: number): this {
    assertUint(n, Number.MAX_SAFE_INTEGER, 'u64');
    return this.u32(Math.floor(n / 2 ** 32)).u32(n % 2 ** 32);
  }
  /** Bytes with a u16 length prefix. */
  var16(b: Uint8Array): this {
    return this.u16(b.length).bytes(b);
  }
  /** Bytes with a u32 length prefix. */
  var32(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }
  /** A UTF-8 string with a u16 length prefix. */
  str16(s: string): this {
    return this.var16(utf8Encoder.encode(s));
  }
  scalar(s: bigint): this {
    return this.bytes(Fn.toBytes(s));
  }
  point(p: Point | Uint8Array): this {
    return this.bytes(p instanceof Uint8Array ? p : p.toBytes(true));
  }
  /** Identifiers are canonical 32-byte scalars (noble keeps them as hex). */
  identifier(id: string): this {
    return this.bytes(hexToBytes(id));
  }
  /** A u16 count, then each item. */
  list<T>(items: readonly T[], write: (w: this, item: T) => void): this {
    this.u16(items.length);
    for (const item of items) write(this, item);
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const p of this.parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

export class ByteReader {
  private off = 0;
  private readonly culprits: readonly string[];

  /**
   * @param buf - the bytes to read (never modified)
   * @param what - what is being decoded, for messages ("log entry", "DKG round-1 package")
   * @param culprits - who sent the bytes (identifier or device key hex), named in every error
   */
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
    culprits: string | readonly string[] = [],
  ) {
    this.culprits = typeof culprits === 'string' ? [culprits] : culprits;
    if (!(buf instanceof Uint8Array)) this.fail('is not a byte array');
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }
  /** The error for `reason` (callers that prefer `throw r.malformed(…)`). */
  malformed(reason: string): CairnError {
    return new CairnError('MALFORMED', `Malformed ${this.what}: ${reason}`, { culprits: this.culprits });
  }
  fail(reason: string): never {
    throw this.malformed(reason);
  }
  bytes(n: number, field = 'field'): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) this.fail(`${field} is truncated`);
    const out = this.buf.slice(this.off, this.off + n);
    this.off += n;
    return out;
  }
  u8(field = 'byte'): number {
    return this.bytes(1, field)[0]!;
  }
  u16(field = 'u16'): number {
    const b = this.bytes(2, field);
    return (b[0]! << 8) | b[1]!;
  }
  u32(field = 'u32'): number {
    const b = this.bytes(4, field);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  u64(field = 'u64'): number {
    const hi = this.u32(field);
    const lo = this.u32(field);
    const v = hi * 2 ** 32 + lo;
    if (!Number.isSafeInteger(v)) this.fail(`${field} is out of range`);
    return v;
  }
  /** u16-length-prefixed bytes whose length lies in [min, max]. */
  var16(field: string, max: number, min = 0): Uint8Array {
    return this.sized(this.u16(`${field} length`), field, max, min);
  }
  /** u32-length-prefixed bytes whose length lies in [min, max]. */
  var32(field: string, max = MAX_BYTES, min = 0): Uint8Array {
    return this.sized(this.u32(`${field} length`), field, max, min);
  }
  private sized(len: number, field: string, max: number, min: number): Uint8Array {
    if (len < min || len > max) this.fail(`${field} length ${len} outside [${min}, ${max}]`);
    return this.bytes(len, field);
  }
  /** A UTF-8 string with a u16 length prefix; invalid UTF-8 is refused (one encoding per string). */
  str16(field: string, max: number): string {
    return this.utf8(this.var16(field, max), field);
  }
  utf8(raw: Uint8Array, field: string): string {
    try {
      return utf8Decoder.decode(raw);
    } catch {
      return this.fail(`${field} is not valid UTF-8`);
    }
  }
  /** A canonical scalar in [0, n) — or [1, n) when `nonZero`. */
  scalar({ nonZero = false, field = 'scalar' } = {}): bigint {
    const x = BigInt('0x' + bytesToHex(this.bytes(32, field))); // one conversion, not 32 BigInt steps
    if (x >= Fn.ORDER) this.fail(`${field} out of range`);
    if (nonZero && x === 0n) this.fail(`${field} is zero`);
    return x;
  }
  /** Raw 32-byte scalar encoding, range-checked. */
  scalarBytes(opts: { nonZero?: boolean; field?: string } = {}): Uint8Array {
    return Fn.toBytes(this.scalar(opts));
  }
  /** A compressed point: valid encoding, on the curve, not the identity. */
  point(field = 'point'): Point {
    const b = this.bytes(33, field);
    let p: Point | undefined;
    try {
      p = decompressPoint(b); // noble's Point.fromBytes, with a cheaper square root
    } catch {
      p = undefined;
    }
    if (!p) return this.fail(`${field} is not a valid curve point`);
    if (p.is0()) this.fail(`${field} is the identity point`);
    return p;
  }
  pointBytes(field = 'point'): Uint8Array {
    return this.point(field).toBytes(true);
  }
  identifier(field = 'identifier'): string {
    return bytesToHex(this.scalarBytes({ nonZero: true, field }));
  }
  /** A u16 count (≤ max, or exactly `exact`), then each item. */
  list<T>(read: (r: this) => T, { max = MAX_LIST, exact }: { max?: number; exact?: number } = {}): T[] {
    const count = this.u16('list length');
    if (exact !== undefined && count !== exact) this.fail(`expected ${exact} entries, got ${count}`);
    if (count > max) this.fail(`list of ${count} entries exceeds the limit of ${max}`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }
  /** Asserts everything was consumed: canonical encodings have no trailing bytes. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected trailing bytes`);
  }
}

/** Constant-time equality for equal-length byte strings (false on length mismatch). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export const utf8 = (s: string): Uint8Array => utf8Encoder.encode(s);

const HEX_RE = /^(?:[0-9a-f]{2})*$/;

/** Strict lowercase hex → bytes (exact length when given), for hex that arrives from outside. */
export function hexToBytesStrict(hex: string, field: string, length?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex) || (length !== undefined && hex.length !== length * 2))
    throw new CairnError('MALFORMED', `${field} is not ${length ?? 'valid'}${length ? '-byte' : ''} lowercase hex`);
  return hexToBytes(hex);
}

export { bytesToHex, hexToBytes, bytesToHex as toHex };

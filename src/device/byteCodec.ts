/**
 * Canonical byte encoding for the device and net layers: fixed-width big-endian integers and
 * length-prefixed fields, read back with every length checked. Anything that doesn't decode is a
 * `CairnError('MALFORMED')` naming the field — never a RangeError from a DataView.
 */
import { CairnError } from '../core/errors.ts';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
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
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return this.bytes(b);
  }
  /** A non-negative safe integer as 8 bytes (timestamps in ms, expiries). */
  u64(n: number): this {
    assertUint(n, Number.MAX_SAFE_INTEGER, 'u64');
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n));
    return this.bytes(b);
  }
  /** Bytes with a u32 length prefix. */
  var32(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }
  /** Bytes with a u16 length prefix. */
  var16(b: Uint8Array): this {
    return this.u16(b.length).bytes(b);
  }
  /** A UTF-8 string with a u16 length prefix. */
  str16(s: string): this {
    return this.var16(utf8Encoder.encode(s));
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const p of this.parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

function assertUint(n: number, max: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new CairnError('BAD_PARAMETERS', `Value out of range for ${what}`);
  }
}

/** Reads canonical bytes; every read checks the remaining length and names the field. */
export class ByteReader {
  private offset = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }
  bytes(n: number, field: string): Uint8Array {
    if (n > this.remaining) throw this.malformed(`${field} is truncated`);
    const out = this.buf.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  u8(field: string): number {
    return this.bytes(1, field)[0]!;
  }
  u16(field: string): number {
    const b = this.bytes(2, field);
    return (b[0]! << 8) | b[1]!;
  }
  u32(field: string): number {
    return new DataView(this.bytes(4, field).buffer).getUint32(0);
  }
  u64(field: string): number {
    const v = new DataView(this.bytes(8, field).buffer).getBigUint64(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.malformed(`${field} is out of range`);
    return Number(v);
  }
  var32(field: string, max: number): Uint8Array {
    const n = this.u32(`${field} length`);
    if (n > max) throw this.malformed(`${field} is longer than ${max} bytes`);
    return this.bytes(n, field);
  }
  var16(field: string, max: number): Uint8Array {
    const n = this.u16(`${field} length`);
    if (n > max) throw this.malformed(`${field} is longer than ${max} bytes`);
    return this.bytes(n, field);
  }
  str16(field: string, max: number): string {
    const raw = this.var16(field, max);
    try {
      return utf8Decoder.decode(raw);
    } catch (cause) {
      throw new CairnError('MALFORMED', `${this.what}: ${field} is not valid UTF-8`, { cause });
    }
  }
  /** Fails unless every byte was consumed (no trailing data: one encoding per value). */
  end(): void {
    if (this.remaining !== 0) throw this.malformed('has trailing bytes');
  }
  malformed(reason: string): CairnError {
    return new CairnError('MALFORMED', `${this.what}: ${reason}`);
  }
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Constant-time equality for equal-length byte strings (false on length mismatch). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX_RE = /^(?:[0-9a-f]{2})*$/;

/** Strict lowercase hex → bytes, with an exact expected length when given. */
export function hexToBytesStrict(hex: string, field: string, length?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex) || (length !== undefined && hex.length !== length * 2)) {
    throw new CairnError('MALFORMED', `${field} is not ${length ?? 'valid'}${length ? '-byte' : ''} lowercase hex`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

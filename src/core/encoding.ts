/**
 * Canonical bytes. Writers emit fixed-length scalars (32 B), compressed points (33 B) and
 * length-prefixed lists; readers check every length, range and point and reject trailing bytes.
 * Any problem is a `CairnError('MALFORMED')` naming the sender when the caller knows it.
 */
import { CairnError } from './errors.ts';
import { Fn, Point } from './curve.ts';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** Hard upper bound on list lengths in any package (rosters are far smaller). */
export const MAX_LIST = 256;
/** Hard upper bound on a variable-length byte field. */
export const MAX_BYTES = 1 << 20;

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  bytes(b: Uint8Array): this {
    this.parts.push(b.slice());
    this.size += b.length;
    return this;
  }
  u8(n: number): this {
    return this.bytes(Uint8Array.of(n & 0xff));
  }
  u16(n: number): this {
    return this.bytes(Uint8Array.of((n >>> 8) & 0xff, n & 0xff));
  }
  u32(n: number): this {
    return this.bytes(Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
  }
  /** u32 length, then the bytes. */
  varBytes(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
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
  constructor(
    private readonly buf: Uint8Array,
    /** Who sent these bytes (identifier hex), for error attribution. */
    readonly culprit?: string,
    readonly what = 'package',
  ) {
    if (!(buf instanceof Uint8Array)) this.fail('is not a byte array');
  }

  fail(reason: string): never {
    throw new CairnError('MALFORMED', `Malformed ${this.what}: ${reason}`, this.culprit ? { culprits: [this.culprit] } : {});
  }
  private take(n: number): Uint8Array {
    if (n < 0 || this.off + n > this.buf.length) this.fail(`truncated (needed ${n} more bytes at offset ${this.off})`);
    const out = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return out.slice();
  }
  fixed(n: number): Uint8Array {
    return this.take(n);
  }
  u8(): number {
    return this.take(1)[0]!;
  }
  u16(): number {
    const b = this.take(2);
    return (b[0]! << 8) | b[1]!;
  }
  u32(): number {
    const b = this.take(4);
    return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  }
  varBytes(max = MAX_BYTES): Uint8Array {
    const len = this.u32();
    if (len > max) this.fail(`field of ${len} bytes exceeds the limit of ${max}`);
    return this.take(len);
  }
  /** A canonical scalar in [0, n) — or [1, n) when `nonZero`. */
  scalar({ nonZero = false } = {}): bigint {
    const b = this.take(32);
    let x = 0n;
    for (const v of b) x = (x << 8n) | BigInt(v);
    if (x >= Fn.ORDER) this.fail('scalar out of range');
    if (nonZero && x === 0n) this.fail('zero scalar');
    return x;
  }
  /** Raw 32-byte scalar encoding, range-checked. */
  scalarBytes({ nonZero = false } = {}): Uint8Array {
    return Fn.toBytes(this.scalar({ nonZero }));
  }
  /** A compressed point: valid encoding, on the curve, not the identity. */
  point(): Point {
    const b = this.take(33);
    try {
      const p = Point.fromBytes(b);
      p.assertValidity();
      if (p.is0()) this.fail('identity point');
      return p;
    } catch (err) {
      if (err instanceof CairnError) throw err;
      return this.fail('not a valid curve point');
    }
  }
  pointBytes(): Uint8Array {
    return this.point().toBytes(true);
  }
  identifier(): string {
    return bytesToHex(this.scalarBytes({ nonZero: true }));
  }
  list<T>(read: (r: this) => T, { max = MAX_LIST, exact }: { max?: number; exact?: number } = {}): T[] {
    const count = this.u16();
    if (exact !== undefined && count !== exact) this.fail(`expected ${exact} entries, got ${count}`);
    if (count > max) this.fail(`list of ${count} entries exceeds the limit of ${max}`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }
  /** Asserts everything was consumed: canonical encodings have no trailing bytes. */
  end(): void {
    if (this.off !== this.buf.length) this.fail(`${this.buf.length - this.off} unexpected trailing bytes`);
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export { bytesToHex, hexToBytes };

/**
 * Bounded, canonical byte framing for vault packages: fixed-length fields and u16/u32 length
 * prefixes (big-endian). The reader checks every length against the remaining input and the
 * caller's bound before slicing, and `end()` rejects trailing bytes, so one value has one encoding.
 */
import { CairnError } from '../errors.ts';

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  bytes(b: Uint8Array): this {
    this.parts.push(b);
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

  /** A u16 length prefix followed by the bytes. */
  bytes16(b: Uint8Array): this {
    return this.u16(b.length).bytes(b);
  }

  /** A u32 length prefix followed by the bytes. */
  bytes32(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export class ByteReader {
  private at = 0;

  /**
   * @param input - the bytes to read (never modified)
   * @param what - what is being decoded, for messages ("vault ciphertext")
   * @param culprits - who sent the bytes, when known; named in every error
   */
  constructor(
    private readonly input: Uint8Array,
    private readonly what: string,
    private readonly culprits: readonly string[] = [],
  ) {}

  fail(problem: string): never {
    throw new CairnError('MALFORMED', `Malformed ${this.what}: ${problem}`, { culprits: this.culprits });
  }

  fixed(len: number, field: string): Uint8Array {
    if (this.input.length - this.at < len) this.fail(`${field} is truncated`);
    const out = this.input.slice(this.at, this.at + len);
    this.at += len;
    return out;
  }

  u8(field: string): number {
    return this.fixed(1, field)[0]!;
  }

  u16(field: string): number {
    const b = this.fixed(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  u32(field: string): number {
    const b = this.fixed(4, field);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  /** A u16-length-prefixed field whose length must lie in [min, max]. */
  bytes16(field: string, min: number, max: number): Uint8Array {
    const len = this.u16(`${field} length`);
    if (len < min || len > max) this.fail(`${field} length ${len} outside [${min}, ${max}]`);
    return this.fixed(len, field);
  }

  /** A u32-length-prefixed field whose length must lie in [min, max]. */
  bytes32(field: string, min: number, max: number): Uint8Array {
    const len = this.u32(`${field} length`);
    if (len < min || len > max) this.fail(`${field} length ${len} outside [${min}, ${max}]`);
    return this.fixed(len, field);
  }

  end(): void {
    if (this.at !== this.input.length) this.fail(`${this.input.length - this.at} trailing bytes`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, rejecting invalid sequences (so the encoding of a string is unique). */
export function decodeUtf8(bytes: Uint8Array, reader: ByteReader, field: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return reader.fail(`${field} is not valid UTF-8`);
  }
}

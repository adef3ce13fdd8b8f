/**
 * GF(2^128) arithmetic for the OT-extension consistency check: carry-less multiplication reduced by
 * x^128 + x^7 + x^2 + x + 1 (the corrected KOS / SoftSpoken check, guide §2.2 — never an XOR).
 *
 * Bit order: bit i of a 16-byte block is bit (i & 7) of byte (i >> 3), and is the coefficient of x^i.
 * The loop is bit-serial with masks (no branch on secret bits).
 */

const word = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** acc ^= x · y, with x the 16-byte block at x[xOff] and y the 16-byte block at y[yOff]; acc is 4 u32 words. */
export function gfMulXorInto(acc: Uint32Array, x: Uint8Array, xOff: number, y: Uint8Array, yOff: number): void {
  let a0 = word(x, xOff),
    a1 = word(x, xOff + 4),
    a2 = word(x, xOff + 8),
    a3 = word(x, xOff + 12);
  let r0 = 0,
    r1 = 0,
    r2 = 0,
    r3 = 0;
  for (let w = 0; w < 4; w++) {
    const bw = word(y, yOff + 4 * w);
    for (let bit = 0; bit < 32; bit++) {
      const m = -((bw >>> bit) & 1);
      r0 ^= a0 & m;
      r1 ^= a1 & m;
      r2 ^= a2 & m;
      r3 ^= a3 & m;
      const carry = a3 >>> 31;
      a3 = (a3 << 1) | (a2 >>> 31);
      a2 = (a2 << 1) | (a1 >>> 31);
      a1 = (a1 << 1) | (a0 >>> 31);
      a0 = (a0 << 1) ^ (0x87 & -carry);
    }
  }
  acc[0] = acc[0]! ^ r0;
  acc[1] = acc[1]! ^ r1;
  acc[2] = acc[2]! ^ r2;
  acc[3] = acc[3]! ^ r3;
}

/** acc ^= the 16-byte block at x[off]. */
export function xorBlockInto(acc: Uint32Array, x: Uint8Array, off: number): void {
  acc[0] = acc[0]! ^ word(x, off);
  acc[1] = acc[1]! ^ word(x, off + 4);
  acc[2] = acc[2]! ^ word(x, off + 8);
  acc[3] = acc[3]! ^ word(x, off + 12);
}

/** The 4 words as a 16-byte block (inverse of the word reading above). */
export function wordsToBlock(acc: Uint32Array, out: Uint8Array = new Uint8Array(16), off = 0): Uint8Array {
  for (let w = 0; w < 4; w++) {
    const v = acc[w]!;
    out[off + 4 * w] = v & 0xff;
    out[off + 4 * w + 1] = (v >>> 8) & 0xff;
    out[off + 4 * w + 2] = (v >>> 16) & 0xff;
    out[off + 4 * w + 3] = (v >>> 24) & 0xff;
  }
  return out;
}

/** x · y as a fresh block (convenience for tests and one-off products). */
export function gfMul(x: Uint8Array, y: Uint8Array): Uint8Array {
  const acc = new Uint32Array(4);
  gfMulXorInto(acc, x, 0, y, 0);
  return wordsToBlock(acc);
}

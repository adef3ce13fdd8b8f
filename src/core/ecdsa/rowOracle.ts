/**
 * The random oracle that turns a 128-bit OT row into ℓ+ρ scalars (guide §2.2 "Outputs", optimisation 1):
 * key_j = SHA-256(H(ro-tag ‖ sid) ‖ j ‖ row), then ChaCha20(key_j, nonce 0) gives 48 bytes per column, each taken
 * mod n (the reduction is left to the consumers, which only use the values inside mod-n sums and products). Every column has its own stream position, so columns never coincide (cf. 0xCarbon PR #21).
 *
 * ChaCha20 (RFC 8439 block function) is inlined here because this runs 3ξ times per counterparty per signature and
 * the generic stream API's per-call overhead dominated; tests check it against @noble/ciphers' chacha20.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytes48ToBig, hashTagged } from './encoding.ts';
import { COLS } from './params.ts';

const BLOCKS = Math.ceil((48 * COLS) / 64);

const rotl = (a: number, b: number) => (a << b) | (a >>> (32 - b));

/** Writes `blocks` ChaCha20 keystream blocks (nonce 0, counter from 0) for a 32-byte key into `out`. */
export function chacha20Blocks(key: Uint8Array, blocks: number, out: Uint8Array): void {
  const kv = new DataView(key.buffer, key.byteOffset, 32);
  const ov = new DataView(out.buffer, out.byteOffset, 64 * blocks);
  const k0 = kv.getUint32(0, true), k1 = kv.getUint32(4, true), k2 = kv.getUint32(8, true), k3 = kv.getUint32(12, true);
  const k4 = kv.getUint32(16, true), k5 = kv.getUint32(20, true), k6 = kv.getUint32(24, true), k7 = kv.getUint32(28, true);
  const c0 = 0x61707865, c1 = 0x3320646e, c2 = 0x79622d32, c3 = 0x6b206574;
  for (let b = 0; b < blocks; b++) {
    let x0 = c0, x1 = c1, x2 = c2, x3 = c3, x4 = k0, x5 = k1, x6 = k2, x7 = k3;
    let x8 = k4, x9 = k5, x10 = k6, x11 = k7, x12 = b, x13 = 0, x14 = 0, x15 = 0;
    for (let r = 0; r < 10; r++) {
      x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 16); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 12);
      x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 8); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 7);
      x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 16); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 12);
      x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 8); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 7);
      x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 16); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 12);
      x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 8); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 7);
      x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 16); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 12);
      x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 8); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 7);
      x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 16); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 12);
      x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 8); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 7);
      x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 16); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 12);
      x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 8); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 7);
      x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 16); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 12);
      x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 8); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 7);
      x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 16); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 12);
      x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 8); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 7);
    }
    const o = 64 * b;
    ov.setUint32(o, (x0 + c0) | 0, true); ov.setUint32(o + 4, (x1 + c1) | 0, true);
    ov.setUint32(o + 8, (x2 + c2) | 0, true); ov.setUint32(o + 12, (x3 + c3) | 0, true);
    ov.setUint32(o + 16, (x4 + k0) | 0, true); ov.setUint32(o + 20, (x5 + k1) | 0, true);
    ov.setUint32(o + 24, (x6 + k2) | 0, true); ov.setUint32(o + 28, (x7 + k3) | 0, true);
    ov.setUint32(o + 32, (x8 + k4) | 0, true); ov.setUint32(o + 36, (x9 + k5) | 0, true);
    ov.setUint32(o + 40, (x10 + k6) | 0, true); ov.setUint32(o + 44, (x11 + k7) | 0, true);
    ov.setUint32(o + 48, (x12 + b) | 0, true); ov.setUint32(o + 52, x13, true);
    ov.setUint32(o + 56, x14, true); ov.setUint32(o + 60, x15, true);
  }
}

export type RowOracle = (j: number, row: Uint8Array, rowOff: number, out: bigint[], outOff: number) => void;

/** The oracle for one OTE/VOLE session `sid`. */
export function makeRowOracle(sid: Uint8Array): RowOracle {
  const prefix = sha256.create().update(hashTagged('ote-ro', sid));
  const tail = new Uint8Array(4 + 16);
  const dv = new DataView(tail.buffer);
  const key = new Uint8Array(32);
  const stream = new Uint8Array(64 * BLOCKS);
  let h: ReturnType<typeof sha256.create> | undefined;
  return (j, row, rowOff, out, outOff) => {
    dv.setUint32(0, j);
    tail.set(row.subarray(rowOff, rowOff + 16), 4);
    h = prefix._cloneInto(h);
    h.update(tail).digestInto(key);
    chacha20Blocks(key, BLOCKS, stream);
    // Unreduced 384-bit values: every consumer reduces mod n (≡ the 48-byte reduction of guide pitfall 9).
    for (let c = 0; c < COLS; c++) out[outOff + c] = bytes48ToBig(stream, 48 * c);
  };
}

/**
 * The random oracle that turns a 128-bit OT row into ℓ+ρ scalars (guide §2.2 "Outputs", optimisation 1):
 * RO_sid(j, row) = BLAKE3-XOF in keyed mode, key = H(ro-tag ‖ sid), message = j ‖ row (20 bytes), 48 output bytes
 * per column, each taken mod n (the reduction is left to the consumers, which only use the values inside mod-n sums
 * and products). Every column has its own output position, so columns never coincide (cf. 0xCarbon PR #21).
 *
 * A 20-byte message is a single BLAKE3 chunk and block, so each 64-byte output block is one compression with the
 * ROOT flag and the output counter. It is inlined because this runs 3ξ times per counterparty per signature and the
 * generic API's per-call overhead dominated; tests check it byte for byte against @noble/hashes' blake3.
 */
import { big384At, hashTagged } from './encoding.ts';
import { COLS } from './params.ts';

const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const CHUNK_START = 1,
  CHUNK_END = 2,
  ROOT = 8,
  KEYED_HASH = 16;
const PERM = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
const BLOCKS = Math.ceil((48 * COLS) / 64);

/** Message word order of each of the 7 rounds (PERM applied r times). */
const SCHEDULE: number[][] = [];
for (let r = 0, order = [...Array(16).keys()]; r < 7; r++, order = PERM.map((p) => order[p]!)) SCHEDULE.push(order);

/**
 * BLAKE3 XOF of a single-block message (≤ 64 bytes, as 16 LE words `m`, length `len`) under `flags`, starting from
 * chaining value `cv`: writes `blocks` × 64 output bytes into `out`. Locals instead of arrays: this is the hot loop.
 */
export function blake3SingleBlock(cv: Uint32Array, m: Uint32Array, len: number, flags: number, blocks: number, out: Uint8Array): void {
  const ov = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let blk = 0; blk < blocks; blk++) {
    let s0 = cv[0]!,
      s1 = cv[1]!,
      s2 = cv[2]!,
      s3 = cv[3]!,
      s4 = cv[4]!,
      s5 = cv[5]!,
      s6 = cv[6]!,
      s7 = cv[7]!;
    let s8 = IV[0]!,
      s9 = IV[1]!,
      s10 = IV[2]!,
      s11 = IV[3]!,
      s12 = blk,
      s13 = 0,
      s14 = len,
      s15 = flags;
    for (let r = 0; r < 7; r++) {
      const o = SCHEDULE[r]!;
      // G(a, b, c, d, x, y): a += b + x; d = (d ^ a) >>> 16; c += d; b = (b ^ c) >>> 12; a += b + y; d >>>= 8; c += d; b >>>= 7
      s0 = (s0 + s4 + m[o[0]!]!) | 0;
      s12 ^= s0;
      s12 = (s12 >>> 16) | (s12 << 16);
      s8 = (s8 + s12) | 0;
      s4 ^= s8;
      s4 = (s4 >>> 12) | (s4 << 20);
      s0 = (s0 + s4 + m[o[1]!]!) | 0;
      s12 ^= s0;
      s12 = (s12 >>> 8) | (s12 << 24);
      s8 = (s8 + s12) | 0;
      s4 ^= s8;
      s4 = (s4 >>> 7) | (s4 << 25);
      s1 = (s1 + s5 + m[o[2]!]!) | 0;
      s13 ^= s1;
      s13 = (s13 >>> 16) | (s13 << 16);
      s9 = (s9 + s13) | 0;
      s5 ^= s9;
      s5 = (s5 >>> 12) | (s5 << 20);
      s1 = (s1 + s5 + m[o[3]!]!) | 0;
      s13 ^= s1;
      s13 = (s13 >>> 8) | (s13 << 24);
      s9 = (s9 + s13) | 0;
      s5 ^= s9;
      s5 = (s5 >>> 7) | (s5 << 25);
      s2 = (s2 + s6 + m[o[4]!]!) | 0;
      s14 ^= s2;
      s14 = (s14 >>> 16) | (s14 << 16);
      s10 = (s10 + s14) | 0;
      s6 ^= s10;
      s6 = (s6 >>> 12) | (s6 << 20);
      s2 = (s2 + s6 + m[o[5]!]!) | 0;
      s14 ^= s2;
      s14 = (s14 >>> 8) | (s14 << 24);
      s10 = (s10 + s14) | 0;
      s6 ^= s10;
      s6 = (s6 >>> 7) | (s6 << 25);
      s3 = (s3 + s7 + m[o[6]!]!) | 0;
      s15 ^= s3;
      s15 = (s15 >>> 16) | (s15 << 16);
      s11 = (s11 + s15) | 0;
      s7 ^= s11;
      s7 = (s7 >>> 12) | (s7 << 20);
      s3 = (s3 + s7 + m[o[7]!]!) | 0;
      s15 ^= s3;
      s15 = (s15 >>> 8) | (s15 << 24);
      s11 = (s11 + s15) | 0;
      s7 ^= s11;
      s7 = (s7 >>> 7) | (s7 << 25);
      s0 = (s0 + s5 + m[o[8]!]!) | 0;
      s15 ^= s0;
      s15 = (s15 >>> 16) | (s15 << 16);
      s10 = (s10 + s15) | 0;
      s5 ^= s10;
      s5 = (s5 >>> 12) | (s5 << 20);
      s0 = (s0 + s5 + m[o[9]!]!) | 0;
      s15 ^= s0;
      s15 = (s15 >>> 8) | (s15 << 24);
      s10 = (s10 + s15) | 0;
      s5 ^= s10;
      s5 = (s5 >>> 7) | (s5 << 25);
      s1 = (s1 + s6 + m[o[10]!]!) | 0;
      s12 ^= s1;
      s12 = (s12 >>> 16) | (s12 << 16);
      s11 = (s11 + s12) | 0;
      s6 ^= s11;
      s6 = (s6 >>> 12) | (s6 << 20);
      s1 = (s1 + s6 + m[o[11]!]!) | 0;
      s12 ^= s1;
      s12 = (s12 >>> 8) | (s12 << 24);
      s11 = (s11 + s12) | 0;
      s6 ^= s11;
      s6 = (s6 >>> 7) | (s6 << 25);
      s2 = (s2 + s7 + m[o[12]!]!) | 0;
      s13 ^= s2;
      s13 = (s13 >>> 16) | (s13 << 16);
      s8 = (s8 + s13) | 0;
      s7 ^= s8;
      s7 = (s7 >>> 12) | (s7 << 20);
      s2 = (s2 + s7 + m[o[13]!]!) | 0;
      s13 ^= s2;
      s13 = (s13 >>> 8) | (s13 << 24);
      s8 = (s8 + s13) | 0;
      s7 ^= s8;
      s7 = (s7 >>> 7) | (s7 << 25);
      s3 = (s3 + s4 + m[o[14]!]!) | 0;
      s14 ^= s3;
      s14 = (s14 >>> 16) | (s14 << 16);
      s9 = (s9 + s14) | 0;
      s4 ^= s9;
      s4 = (s4 >>> 12) | (s4 << 20);
      s3 = (s3 + s4 + m[o[15]!]!) | 0;
      s14 ^= s3;
      s14 = (s14 >>> 8) | (s14 << 24);
      s9 = (s9 + s14) | 0;
      s4 ^= s9;
      s4 = (s4 >>> 7) | (s4 << 25);
    }
    const o = 64 * blk;
    ov.setUint32(o, s0 ^ s8, true);
    ov.setUint32(o + 4, s1 ^ s9, true);
    ov.setUint32(o + 8, s2 ^ s10, true);
    ov.setUint32(o + 12, s3 ^ s11, true);
    ov.setUint32(o + 16, s4 ^ s12, true);
    ov.setUint32(o + 20, s5 ^ s13, true);
    ov.setUint32(o + 24, s6 ^ s14, true);
    ov.setUint32(o + 28, s7 ^ s15, true);
    ov.setUint32(o + 32, s8 ^ cv[0]!, true);
    ov.setUint32(o + 36, s9 ^ cv[1]!, true);
    ov.setUint32(o + 40, s10 ^ cv[2]!, true);
    ov.setUint32(o + 44, s11 ^ cv[3]!, true);
    ov.setUint32(o + 48, s12 ^ cv[4]!, true);
    ov.setUint32(o + 52, s13 ^ cv[5]!, true);
    ov.setUint32(o + 56, s14 ^ cv[6]!, true);
    ov.setUint32(o + 60, s15 ^ cv[7]!, true);
  }
}

export type RowOracle = (j: number, row: Uint8Array, rowOff: number, out: bigint[], outOff: number) => void;

/** The oracle for one OTE/VOLE session `sid`. */
export function makeRowOracle(sid: Uint8Array): RowOracle {
  const keyBytes = hashTagged('ote-ro', sid);
  const key = new Uint32Array(8);
  const kv = new DataView(keyBytes.buffer, keyBytes.byteOffset, 32);
  for (let i = 0; i < 8; i++) key[i] = kv.getUint32(4 * i, true);
  const msg = new Uint8Array(64);
  const mv = new DataView(msg.buffer);
  const m = new Uint32Array(16);
  const stream = new Uint8Array(64 * BLOCKS);
  const sv = new DataView(stream.buffer);
  const flags = CHUNK_START | CHUNK_END | ROOT | KEYED_HASH;
  return (j, row, rowOff, out, outOff) => {
    mv.setUint32(0, j, true);
    msg.set(row.subarray(rowOff, rowOff + 16), 4);
    for (let i = 0; i < 5; i++) m[i] = mv.getUint32(4 * i, true);
    blake3SingleBlock(key, m, 20, flags, BLOCKS, stream);
    for (let c = 0; c < COLS; c++) out[outOff + c] = big384At(sv, 48 * c);
  };
}

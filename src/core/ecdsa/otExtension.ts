/**
 * OT extension, SoftSpokenOT with k = 1 (= IKNP) and the corrected KOS consistency check, made one-message by
 * Fiat–Shamir (guide §2.2; [Roy22]; [KOS15] updated Fig. 10; DKLs23 §5.1).
 *
 * Roles: Bob is the OTE *receiver* (he knows both seeds of every base OT and picks choice bits β); Alice is the OTE
 * *sender* (base-OT receiver with choice bits Δ). After one message from Bob, Alice holds rows Q_j = T_j ⊕ β_j·Δ and
 * Bob holds T_j. Outputs are then hashed into sender-random scalars (`roRow`), so Alice cannot choose them ([A26]).
 *
 * Layout: a "column" l ∈ [128] is OTE_LEN bits (OTE_COL_BYTES bytes); a "row" j ∈ [ξ] is 128 bits (16 bytes).
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hashTagged, u32, type Rng } from './encoding.ts';
import { gfMulXorInto, wordsToBlock, xorBlockInto } from './gf128.ts';
import { LAMBDA_C, OTE_BLOCKS, OTE_COL_BYTES, XI } from './params.ts';

/** Alice's long-lived half of one direction: Δ (16 bytes) and the seeds k^l_{Δ_l} (128 × 32 bytes). */
export type OteSenderSeeds = { delta: Uint8Array; seeds: Uint8Array };
/** Bob's long-lived half of one direction: both seeds of every base OT (128 × 32 bytes each). */
export type OteReceiverSeeds = { seeds0: Uint8Array; seeds1: Uint8Array };

/** Bob → Alice (signing round 1). Sizes are fixed by params; `checkExtendShape` enforces them. */
export type OteExtendMessage = {
  /** 128 columns u_l = t_l ⊕ PRG(k^l_1) ⊕ x̃, each OTE_COL_BYTES. */
  u: Uint8Array;
  /** x̂ = Σ χ_k·x̃_k ⊕ x̃_{m+1} (16 bytes). */
  xHat: Uint8Array;
  /** t̂_l = Σ χ_k·t_{l,k} ⊕ t_{l,m+1} for every l (128 × 16 bytes). */
  tHat: Uint8Array;
};

export const U_BYTES = LAMBDA_C * OTE_COL_BYTES;
export const T_HAT_BYTES = LAMBDA_C * 16;
export const ROW_BYTES = 16;

export function checkExtendShape(m: OteExtendMessage): boolean {
  return (
    m.u instanceof Uint8Array &&
    m.xHat instanceof Uint8Array &&
    m.tHat instanceof Uint8Array &&
    m.u.length === U_BYTES &&
    m.xHat.length === 16 &&
    m.tHat.length === T_HAT_BYTES
  );
}

/**
 * PRG(seed) for every column of the OTE session `sid`: ChaCha20 keyed by the column's seed (a uniformly random base-OT
 * key, different for every column), with a 96-bit nonce derived from `sid` (guide §2.2: "nonce derived from (sid,
 * pair, l)" — the column is already in the key). Seeds are long-lived, sids never repeat, so no stream is used twice.
 * XORs the stream into `out`.
 */
function prgColumns(seeds: Uint8Array, sid: Uint8Array, out: Uint8Array): void {
  const nonce = hashTagged('ote-prg', sid).subarray(0, 12);
  for (let l = 0; l < LAMBDA_C; l++) {
    const col = out.subarray(l * OTE_COL_BYTES, (l + 1) * OTE_COL_BYTES);
    chacha20(seeds.subarray(32 * l, 32 * l + 32), nonce, col, col);
  }
}

/** χ_1..χ_m ∈ GF(2^128) from the whole u matrix (Fiat–Shamir). */
function challenges(sid: Uint8Array, u: Uint8Array): Uint8Array {
  const d = hashTagged('ote-chi', sid, u);
  const chi = new Uint8Array(16 * OTE_BLOCKS);
  for (let k = 0; k < OTE_BLOCKS; k++) chi.set(hashTagged('ote-chi', d, u32(k)).subarray(0, 16), 16 * k);
  return chi;
}

/** Σ_k χ_k · col_k ⊕ col_{m+1} for the column starting at `off`. */
function compress(acc: Uint32Array, chi: Uint8Array, col: Uint8Array, off: number): void {
  acc.fill(0);
  for (let k = 0; k < OTE_BLOCKS; k++) gfMulXorInto(acc, chi, 16 * k, col, off + 16 * k);
  xorBlockInto(acc, col, off + 16 * OTE_BLOCKS);
}

/** Transposes 128 columns (first XI bits of each) into XI rows of 16 bytes. */
function transpose(cols: Uint8Array): Uint8Array {
  const rows = new Uint8Array(XI * ROW_BYTES);
  for (let l = 0; l < LAMBDA_C; l++) {
    const colOff = l * OTE_COL_BYTES;
    const rowByte = l >> 3;
    const rowBit = 1 << (l & 7);
    for (let B = 0; B < XI / 8; B++) {
      const v = cols[colOff + B]!;
      const base = 8 * B * ROW_BYTES + rowByte;
      for (let bit = 0; bit < 8; bit++) rows[base + bit * ROW_BYTES] = rows[base + bit * ROW_BYTES]! | (rowBit & -((v >>> bit) & 1));
    }
  }
  return rows;
}

/**
 * Bob's extend step. `beta` holds ξ choice bits (bit j = byte j>>3, bit j&7). Returns the message for Alice and
 * Bob's rows T_j (secret).
 */
export function oteExtend(seeds: OteReceiverSeeds, sid: Uint8Array, beta: Uint8Array, rng: Rng): { message: OteExtendMessage; T: Uint8Array } {
  const xTilde = new Uint8Array(OTE_COL_BYTES);
  xTilde.set(beta, 0);
  xTilde.set(rng(16), XI / 8);
  const t = new Uint8Array(U_BYTES);
  const u = new Uint8Array(U_BYTES);
  prgColumns(seeds.seeds0, sid, t);
  prgColumns(seeds.seeds1, sid, u);
  for (let l = 0; l < LAMBDA_C; l++) {
    const off = l * OTE_COL_BYTES;
    for (let i = 0; i < OTE_COL_BYTES; i++) u[off + i] = u[off + i]! ^ t[off + i]! ^ xTilde[i]!;
  }
  const chi = challenges(sid, u);
  const acc = new Uint32Array(4);
  compress(acc, chi, xTilde, 0);
  const xHat = wordsToBlock(acc);
  const tHat = new Uint8Array(T_HAT_BYTES);
  for (let l = 0; l < LAMBDA_C; l++) {
    compress(acc, chi, t, l * OTE_COL_BYTES);
    wordsToBlock(acc, tHat, 16 * l);
  }
  const T = transpose(t);
  t.fill(0);
  xTilde.fill(0);
  return { message: { u, xHat, tHat }, T };
}

/**
 * Alice's side: recomputes q_l, runs the consistency check, and returns her rows Q_j. `ok === false` means Bob
 * cheated: the caller must destroy the pairwise setup (the verdict leaks bits of Δ, guide §2.5). The check loop has
 * no early exit and accumulates the difference.
 */
export function oteReceiveExtend(seeds: OteSenderSeeds, sid: Uint8Array, message: OteExtendMessage): { ok: boolean; Q: Uint8Array } {
  const q = new Uint8Array(U_BYTES);
  prgColumns(seeds.seeds, sid, q);
  const { u, xHat, tHat } = message;
  for (let l = 0; l < LAMBDA_C; l++) {
    const mask = -((seeds.delta[l >> 3]! >>> (l & 7)) & 1) & 0xff;
    const off = l * OTE_COL_BYTES;
    for (let i = 0; i < OTE_COL_BYTES; i++) q[off + i] = q[off + i]! ^ (u[off + i]! & mask);
  }
  const chi = challenges(sid, u);
  const acc = new Uint32Array(4);
  let diff = 0;
  for (let l = 0; l < LAMBDA_C; l++) {
    compress(acc, chi, q, l * OTE_COL_BYTES);
    const mask = -((seeds.delta[l >> 3]! >>> (l & 7)) & 1);
    xorBlockInto(acc, tHat, 16 * l);
    const x = new Uint32Array(4);
    xorBlockInto(x, xHat, 0);
    diff |= (acc[0]! ^ (x[0]! & mask)) | (acc[1]! ^ (x[1]! & mask)) | (acc[2]! ^ (x[2]! & mask)) | (acc[3]! ^ (x[3]! & mask));
  }
  const Q = transpose(q);
  q.fill(0);
  return { ok: diff === 0, Q };
}

/** Hash binding the whole extend message; fed into the VOLE θ so Alice cannot pick outputs after θ ([A26]). */
export function oteTranscriptHash(sid: Uint8Array, m: OteExtendMessage): Uint8Array {
  return hashTagged('ote-transcript', sid, m.u, m.xHat, m.tHat);
}

/** Δ-shifted copy of a row: row ⊕ Δ. */
export function xorRow(row: Uint8Array, rowOff: number, delta: Uint8Array, out: Uint8Array): Uint8Array {
  for (let i = 0; i < 16; i++) out[i] = row[rowOff + i]! ^ delta[i]!;
  return out;
}

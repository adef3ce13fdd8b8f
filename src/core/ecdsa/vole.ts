/**
 * Two-party random vector OLE with forced reuse (DKLs23 Protocol 5.2, a DKLs19 Protocol 1 multiplication; guide §3).
 *
 * Bob (OTE receiver) holds choice bits β and gets b = ⟨g, β⟩ (the paper's χ). Alice (OTE sender) inputs a ∈ Z_n^ℓ.
 * Afterwards Alice holds c, Bob holds d, with c_i + d_i = a_i·b for every i — all ℓ products against the *same* b.
 *
 * Printed typos fixed as in ToB App. F: â_k (not â_i) in ã, θ_{i,k} (not θ_{k,k}) in μ. θ also binds the OTE
 * transcript hash ([A26]); ρ = 1.
 */
import {
  absorb,
  big256At,
  bytes48ToScalar,
  decodeScalar,
  hashTagged,
  mod,
  N,
  randomScalar,
  taggedState,
  u32,
  writeScalar,
  writeScalarAt,
  type Rng,
} from './encoding.ts';
import { xorRow } from './otExtension.ts';
import { makeRowOracle } from './rowOracle.ts';
import { COLS, ELL, RHO, XI } from './params.ts';

/** Alice → Bob (signing round 2). */
export type VoleMessage = {
  /** ã: ξ rows × (ℓ+ρ) scalars, 32 bytes each, row-major. */
  aTilde: Uint8Array;
  /** η: ρ scalars (32 bytes each). */
  eta: Uint8Array;
  /** H_mu(sid ‖ μ-matrix), 32 bytes. */
  mu: Uint8Array;
};

export const A_TILDE_BYTES = XI * COLS * 32;

export function checkVoleShape(m: VoleMessage): boolean {
  return (
    m.aTilde instanceof Uint8Array &&
    m.eta instanceof Uint8Array &&
    m.mu instanceof Uint8Array &&
    m.aTilde.length === A_TILDE_BYTES &&
    m.eta.length === 32 * RHO &&
    m.mu.length === 32
  );
}

/** The public gadget vector g ∈ Z_n^ξ for one direction, derived from its setup id. */
export function deriveGadget(setupId: Uint8Array): bigint[] {
  const g: bigint[] = new Array(XI);
  const prefix = taggedState('vole-gadget', setupId); // = hashTagged('vole-gadget', setupId, u32(j), u32(σ)), shared prefix hashed once
  const buf = new Uint8Array(48);
  for (let j = 0; j < XI; j++) {
    const hj = absorb(prefix.clone(), u32(j));
    const a = absorb(hj.clone(), u32(0)).digest();
    const b = absorb(hj, u32(1)).digest();
    buf.set(a, 0);
    buf.set(b.subarray(0, 16), 32);
    g[j] = bytes48ToScalar(buf);
  }
  return g;
}

/** Bob's value b = ⟨g, β⟩. */
export function gadgetInner(g: readonly bigint[], beta: Uint8Array): bigint {
  let acc = 0n;
  for (let j = 0; j < XI; j++) acc += g[j]! * BigInt((beta[j >> 3]! >>> (j & 7)) & 1);
  return acc % N;
}

/** θ ∈ Z_n^{ℓ×ρ} from (sid, OTE transcript, ã). */
function theta(sid: Uint8Array, oteHash: Uint8Array, aTilde: Uint8Array): bigint[] {
  const th: bigint[] = [];
  const digest = hashTagged('vole-theta', sid, oteHash, aTilde); // the ~60 KB ã is hashed once
  for (let i = 0; i < ELL * RHO; i++) {
    const a = hashTagged('vole-theta-expand', digest, u32(i), u32(0));
    const b = hashTagged('vole-theta-expand', digest, u32(i), u32(1));
    const buf = new Uint8Array(48);
    buf.set(a, 0);
    buf.set(b.subarray(0, 16), 32);
    th.push(bytes48ToScalar(buf));
  }
  return th;
}

/** H_mu over the ξ×ρ matrix. */
function hashMu(sid: Uint8Array, mu: bigint[]): Uint8Array {
  const buf = new Uint8Array(32 * mu.length);
  const v = new DataView(buf.buffer);
  for (let i = 0; i < mu.length; i++) writeScalarAt(v, 32 * i, mod(mu[i]!));
  return hashTagged('vole-mu', sid, buf);
}

/**
 * Alice's response. `Q` are her OTE rows, `delta` her Δ, `a` her ℓ inputs. Returns her shares c (secret) and the
 * message for Bob.
 */
export function voleAlice(p: {
  sid: Uint8Array;
  gadget: readonly bigint[];
  Q: Uint8Array;
  delta: Uint8Array;
  a: readonly bigint[];
  oteHash: Uint8Array;
  rng: Rng;
}): { c: bigint[]; message: VoleMessage } {
  const { sid, gadget, Q, delta, a, oteHash, rng } = p;
  const ro = makeRowOracle(sid);
  const alpha0: bigint[] = new Array(XI * COLS);
  const alpha1: bigint[] = new Array(COLS);
  const shifted = new Uint8Array(16);
  const aHat: bigint[] = [];
  for (let k = 0; k < RHO; k++) aHat.push(randomScalar(rng));
  const inputs = [...a, ...aHat];
  const aTilde = new Uint8Array(A_TILDE_BYTES);
  const av = new DataView(aTilde.buffer);
  const cAcc: bigint[] = new Array(ELL).fill(0n);
  for (let j = 0; j < XI; j++) {
    ro(j, Q, 16 * j, alpha0, COLS * j);
    ro(j, xorRow(Q, 16 * j, delta, shifted), 0, alpha1, 0);
    for (let i = 0; i < COLS; i++) {
      const v = mod(alpha0[COLS * j + i]! - alpha1[i]! + inputs[i]!);
      writeScalarAt(av, 32 * (COLS * j + i), v);
    }
    for (let i = 0; i < ELL; i++) cAcc[i] = cAcc[i]! + gadget[j]! * alpha0[COLS * j + i]!;
  }
  shifted.fill(0);
  const th = theta(sid, oteHash, aTilde);
  const eta = new Uint8Array(32 * RHO);
  const mu: bigint[] = new Array(XI * RHO);
  for (let k = 0; k < RHO; k++) {
    let e = aHat[k]!;
    for (let i = 0; i < ELL; i++) e += th[i * RHO + k]! * a[i]!;
    writeScalar(mod(e), eta, 32 * k);
    for (let j = 0; j < XI; j++) {
      let m = alpha0[COLS * j + ELL + k]!;
      for (let i = 0; i < ELL; i++) m += th[i * RHO + k]! * alpha0[COLS * j + i]!;
      mu[j * RHO + k] = m;
    }
  }
  const c = cAcc.map((x) => mod(-x));
  return { c, message: { aTilde, eta, mu: hashMu(sid, mu) } };
}

/**
 * Bob's check and output. Returns `{ ok: false }` when the message is non-canonical or μ does not match (Alice
 * cheated: the caller destroys the setup and bans her); otherwise his shares d.
 */
export function voleBob(p: {
  sid: Uint8Array;
  gadget: readonly bigint[];
  T: Uint8Array;
  beta: Uint8Array;
  message: VoleMessage;
  oteHash: Uint8Array;
}): { ok: true; d: bigint[] } | { ok: false; malformed: boolean } {
  const { sid, gadget, T, beta, message, oteHash } = p;
  const aT: bigint[] = new Array(XI * COLS);
  const av = new DataView(message.aTilde.buffer, message.aTilde.byteOffset, A_TILDE_BYTES);
  for (let i = 0; i < XI * COLS; i++) {
    const x = big256At(av, 32 * i);
    if (x >= N) return { ok: false, malformed: true };
    aT[i] = x;
  }
  const eta: bigint[] = [];
  for (let k = 0; k < RHO; k++) {
    const e = decodeScalar(message.eta, 32 * k);
    if (e === undefined) return { ok: false, malformed: true };
    eta.push(e);
  }
  const ro = makeRowOracle(sid);
  const th = theta(sid, oteHash, message.aTilde);
  const gamma: bigint[] = new Array(COLS);
  const dDot: bigint[] = new Array(COLS);
  const dAcc: bigint[] = new Array(ELL).fill(0n);
  const mu: bigint[] = new Array(XI * RHO);
  for (let j = 0; j < XI; j++) {
    ro(j, T, 16 * j, gamma, 0);
    const bj = BigInt((beta[j >> 3]! >>> (j & 7)) & 1);
    for (let i = 0; i < COLS; i++) dDot[i] = gamma[i]! + bj * aT[COLS * j + i]!; // < 2n, reduced later
    for (let k = 0; k < RHO; k++) {
      let m = dDot[ELL + k]! - bj * eta[k]!;
      for (let i = 0; i < ELL; i++) m += th[i * RHO + k]! * dDot[i]!;
      mu[j * RHO + k] = m;
    }
    for (let i = 0; i < ELL; i++) dAcc[i] = dAcc[i]! + gadget[j]! * dDot[i]!;
  }
  const expected = hashMu(sid, mu);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= expected[i]! ^ message.mu[i]!;
  if (diff !== 0) return { ok: false, malformed: false };
  return { ok: true, d: dAcc.map(mod) };
}

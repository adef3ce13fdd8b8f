/**
 * Variable-time multi-scalar multiplication Σ kᵢ·Pᵢ over secp256k1, for PUBLIC points and scalars
 * only (nonce commitments with binding factors, Feldman commitments with identifier powers, batched
 * proof checks). Never pass a secret scalar: the running time depends on every scalar bit.
 *
 * Why not noble's `mulAddUnsafe`: it walks full 256-bit scalars with complete projective formulas.
 * Here each scalar is split with the GLV endomorphism ψ(x, y) = (β·x, y) = λ·(x, y) into two
 * ~128-bit halves (half the doublings), tables of odd multiples are normalised to affine with one
 * shared inversion, and the walk uses Jacobian doubling and mixed Jacobian+affine addition (fewer
 * field multiplications per step). Exceptional cases (identity, P + P, P + (−P)) are handled
 * explicitly, because adversaries choose these points. The result is checked to lie on the curve.
 * test/core/msm.test.ts compares it with noble on random and adversarial inputs.
 */
import { _splitEndoScalar } from '@noble/curves/abstract/weierstrass.js';
import { Fn, Point } from './curve.ts';

const P = Point.Fp.ORDER;
const N = Fn.ORDER;
/** Cube root of unity mod p; ψ(x, y) = (β·x, y) equals λ·(x, y) (checked in the tests). */
export const GLV_BETA = 0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501een;
/** Cube root of unity mod n matching β. */
export const GLV_LAMBDA = 0x5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72n;
/** Reduced lattice basis {(a₁, b₁), (a₂, b₂)} with aᵢ + bᵢ·λ ≡ 0 (mod n) (checked in the tests). */
export const GLV_BASIS: [[bigint, bigint], [bigint, bigint]] = [
  [0x3086d221a7d46bcde86c90e49284eb15n, -0xe4437ed6010e88286f547fa90abfe4c3n],
  [0x114ca50f7a8e2f3f657c1108d9d44cfd8n, 0x3086d221a7d46bcde86c90e49284eb15n],
];

const WINDOW = 5; // wNAF width: digits odd in (−16, 16), tables of 8 odd multiples
const TABLE = 1 << (WINDOW - 2);
const HALF = 1n << 129n; // scalars below this are already as short as GLV halves: not split

const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

/** Jacobian coordinates: x = X/Z², y = Y/Z³; Z = 0 is the identity. */
type Jac = { X: bigint; Y: bigint; Z: bigint };
type Affine = { x: bigint; y: bigint };
const INFINITY: Jac = { X: 1n, Y: 1n, Z: 0n };

/** 2·(X, Y, Z) for a = 0 (dbl-2009-l). */
function double(p: Jac): Jac {
  if (p.Z === 0n || p.Y === 0n) return INFINITY;
  const A = mod(p.X * p.X);
  const B = mod(p.Y * p.Y);
  const C = mod(B * B);
  const xb = p.X + B;
  const D = mod(2n * (xb * xb - A - C));
  const E = 3n * A;
  const F = mod(E * E);
  const X3 = mod(F - 2n * D);
  return { X: X3, Y: mod(E * (D - X3) - 8n * C), Z: mod(2n * p.Y * p.Z) };
}

/**
 * (X, Y, Z) + (x, y) with the second point affine, exceptional cases included. Textbook mixed
 * addition: H = x·Z² − X, r = y·Z³ − Y, X₃ = r² − H³ − 2·X·H², Y₃ = r·(X·H² − X₃) − Y·H³, Z₃ = Z·H.
 */
function addAffine(p: Jac, q: Affine): Jac {
  if (p.Z === 0n) return { X: q.x, Y: q.y, Z: 1n };
  const Z1Z1 = mod(p.Z * p.Z);
  const H = mod(q.x * Z1Z1 - p.X);
  const r = mod(q.y * p.Z * Z1Z1 - p.Y);
  if (H === 0n) return r === 0n ? double(p) : INFINITY;
  const HH = mod(H * H);
  const J = mod(H * HH);
  const V = mod(p.X * HH);
  const X3 = mod(r * r - J - 2n * V);
  return { X: X3, Y: mod(r * (V - X3) - p.Y * J), Z: mod(p.Z * H) };
}

/** Montgomery's trick: every inverse for the price of one inversion (inputs non-zero). */
function invertAll(values: readonly bigint[]): bigint[] {
  const prefix: bigint[] = new Array(values.length);
  let acc = 1n;
  for (let i = 0; i < values.length; i++) {
    prefix[i] = acc;
    acc = mod(acc * values[i]!);
  }
  let inv = Point.Fp.inv(acc);
  const out: bigint[] = new Array(values.length);
  for (let i = values.length - 1; i >= 0; i--) {
    out[i] = mod(inv * prefix[i]!);
    inv = mod(inv * values[i]!);
  }
  return out;
}

/** Affine forms of non-identity Jacobian points, with one shared inversion. */
function toAffineAll(points: readonly Jac[]): Affine[] {
  const zInv = invertAll(points.map((p) => p.Z));
  return points.map((p, i) => {
    const z = zInv[i]!;
    const z2 = mod(z * z);
    return { x: mod(p.X * z2), y: mod(p.Y * mod(z2 * z)) };
  });
}

/**
 * Width-w non-adjacent form, least significant digit first: digits odd in (−2^(w−1), 2^(w−1)) or 0,
 * Σ dᵢ·2ⁱ = k. Worked on the bits as plain numbers (one BigInt conversion, not one per bit).
 */
function wnaf(k: bigint): Int8Array {
  const text = k.toString(2);
  const n = text.length;
  const bits = new Uint8Array(n + WINDOW + 1); // little-endian bits of what is left of k
  for (let i = 0; i < n; i++) bits[i] = text.charCodeAt(n - 1 - i) - 48;
  const digits = new Int8Array(n + 1);
  const full = 1 << WINDOW;
  let length = 0;
  for (let i = 0; i <= n; i++) {
    if (bits[i] === 0) continue;
    let value = 0;
    for (let j = WINDOW - 1; j >= 0; j--) value = value * 2 + bits[i + j]!;
    bits.fill(0, i, i + WINDOW);
    if (value >= full / 2) {
      // digit value − 2^w: subtracting it leaves 2^w·(carry) at position i + w
      digits[i] = value - full;
      let j = i + WINDOW;
      while (bits[j] === 1) bits[j++] = 0;
      bits[j] = 1;
    } else digits[i] = value;
    length = i + 1;
  }
  return digits.subarray(0, length);
}

type Stream = { table: Affine[]; digits: Int8Array };

/**
 * Σ scalars[i]·points[i] in variable time. Scalars are in [0, n); points are valid curve points
 * (the identity is allowed and contributes nothing). Scalars 1 and −1 cost one addition.
 */
export function msmUnsafe(points: readonly Point[], scalars: readonly bigint[]): Point {
  if (points.length !== scalars.length) throw new Error('msm: points and scalars differ in number');
  const plain: Point[] = [];
  const scaled: Array<{ point: Point; k: bigint }> = [];
  for (let i = 0; i < points.length; i++) {
    const k = scalars[i]!;
    if (typeof k !== 'bigint' || k < 0n || k >= N) throw new RangeError('msm: scalar out of range');
    const point = points[i]!;
    if (k === 0n || point.is0()) continue;
    if (k === 1n) plain.push(point);
    else if (k === N - 1n) plain.push(point.negate());
    else scaled.push({ point, k });
  }
  const inputs = affineInputs([...plain, ...scaled.map((s) => s.point)]);
  const plainAffine = inputs.slice(0, plain.length);
  const bases = inputs.slice(plain.length);

  // Odd multiples P, 3P, …, 15P of every scaled point: 2P made affine first (one shared
  // inversion), then the table in Jacobian by mixed additions, then all of it affine (one more).
  const doubles = bases.map((b) => double({ X: b.x, Y: b.y, Z: 1n }));
  const doublesAffine = toAffineAll(doubles); // 2P ≠ O: the group has odd prime order
  const jacobian: Jac[] = [];
  bases.forEach((b, i) => {
    let t: Jac = { X: b.x, Y: b.y, Z: 1n };
    jacobian.push(t);
    for (let j = 1; j < TABLE; j++) {
      t = addAffine(t, doublesAffine[i]!);
      jacobian.push(t); // (2j+1)P ≠ O for j < 8 since n is a large prime
    }
  });
  const tables = toAffineAll(jacobian);

  const streams: Stream[] = [];
  scaled.forEach(({ k }, i) => {
    const table = tables.slice(i * TABLE, (i + 1) * TABLE);
    if (k < HALF) {
      // Already half-width (e.g. a random 128-bit batch weight): splitting could only lengthen it.
      streams.push({ table, digits: wnaf(k) });
      return;
    }
    const { k1neg, k1, k2neg, k2 } = _splitEndoScalar(k, GLV_BASIS, N);
    if (k1 !== 0n) streams.push({ table: k1neg ? table.map(negate) : table, digits: wnaf(k1) });
    if (k2 !== 0n) streams.push({ table: table.map((e) => ({ x: mod(e.x * GLV_BETA), y: k2neg ? P - e.y : e.y })), digits: wnaf(k2) });
  });

  let acc = INFINITY;
  const top = Math.max(0, ...streams.map((s) => s.digits.length));
  for (let bit = top - 1; bit >= 0; bit--) {
    acc = double(acc);
    for (const { table, digits } of streams) {
      const d = digits[bit];
      if (!d) continue;
      const e = table[(Math.abs(d) - 1) >> 1]!;
      acc = addAffine(acc, d > 0 ? e : negate(e));
    }
  }
  for (const q of plainAffine) acc = addAffine(acc, q);
  return fromJacobian(acc);
}

/** noble keeps homogeneous projective coordinates (x = X/Z, y = Y/Z); decoded points have Z = 1. */
function affineInputs(points: readonly Point[]): Affine[] {
  const pending = points.filter((p) => p.Z !== 1n);
  const zInv = new Map(pending.length ? invertAll(pending.map((p) => p.Z)).map((z, i) => [pending[i]!, z] as const) : []);
  return points.map((p) => {
    const z = zInv.get(p);
    return z === undefined ? { x: p.X, y: p.Y } : { x: mod(p.X * z), y: mod(p.Y * z) };
  });
}

const negate = (e: Affine): Affine => ({ x: e.x, y: e.y === 0n ? 0n : P - e.y });

/** Jacobian (X, Y, Z) as noble's homogeneous (X·Z, Y, Z³): no inversion (callers often only compare). */
function fromJacobian(p: Jac): Point {
  if (p.Z === 0n) return Point.ZERO;
  // A cheap guard, Y² = X³ + 7·Z⁶: a wrong formula almost never lands on the curve.
  const z2 = mod(p.Z * p.Z);
  if (mod(p.Y * p.Y) !== mod(p.X * mod(p.X * p.X) + 7n * mod(z2 * mod(z2 * z2)))) throw new Error('msm: result is not on the curve');
  return new Point(mod(p.X * p.Z), p.Y, mod(p.Z * z2));
}

/**
 * Variable-time multi-scalar multiplication Σ kᵢ·Pᵢ over secp256k1, for PUBLIC points and scalars
 * only (nonce commitments with binding factors, Feldman commitments with identifier powers, batched
 * proof checks). Never pass a secret scalar: the running time depends on every scalar bit.
 *
 * Why not noble's `mulAddUnsafe`: it walks full 256-bit scalars with complete projective formulas.
 * Here each scalar is split with the GLV endomorphism ψ(x, y) = (β·x, y) = λ·(x, y) into two
 * ~128-bit halves (half the doublings), tables of odd multiples are made affine with one shared
 * inversion per call (the base point's tables once per process), and the walk uses Jacobian
 * doubling and mixed Jacobian+affine addition (fewer field multiplications per step). Exceptional
 * cases (identity, P + P, P + (−P)) are handled explicitly, because adversaries choose these
 * points. The result is checked to lie on the curve. test/core/msm.test.ts compares it with noble
 * on random and adversarial inputs.
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

const HALF = 1n << 129n; // scalars below this are already as short as GLV halves: not split
// wNAF widths (a width-w table holds the 2^(w−2) odd multiples P, 3P, …): 5 when both GLV halves
// share the table, 4 for a lone half-width scalar (its table costs more than it saves beyond
// that), 8 for the base point, whose tables are built once per process.
const SHARED_WIDTH = 5;
const LONE_WIDTH = 4;
const BASE_WIDTH = 8;

const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

/** Jacobian coordinates: x = X/Z², y = Y/Z³; Z = 0 is the identity. */
type Jac = { X: bigint; Y: bigint; Z: bigint };
type Affine = { x: bigint; y: bigint };
const INFINITY: Jac = { X: 1n, Y: 1n, Z: 0n };

/**
 * 2·(X, Y, Z) for a = 0 (b does not appear, see buildTables): D = 4·X·Y², E = 3·X²,
 * X₃ = E² − 2·D, Y₃ = E·(D − X₃) − 8·Y⁴, Z₃ = 2·Y·Z. D is a plain product, not dbl-2009-l's
 * (X + Y²)² − X² − Y⁴: BigInt multiplications are cheap, each extra operation is not.
 */
function double(p: Jac): Jac {
  if (p.Z === 0n || p.Y === 0n) return INFINITY;
  const A = mod(p.X * p.X);
  const B = mod(p.Y * p.Y);
  const C = mod(B * B);
  const D = mod(4n * p.X * B);
  const E = 3n * A;
  const F = mod(E * E);
  const X3 = mod(F - 2n * D);
  return { X: X3, Y: mod(E * (D - X3) - 8n * C), Z: mod(2n * p.Y * p.Z) };
}

/**
 * (X, Y, Z) + (x, y) with the second point affine, exceptional cases included. Textbook mixed
 * addition: H = x·Z² − X, r = y·Z³ − Y, X₃ = r² − H³ − 2·X·H², Y₃ = r·(X·H² − X₃) − Y·H³, Z₃ = Z·H.
 */
function addAffine(p: Jac, x: bigint, y: bigint): Jac {
  if (p.Z === 0n) return { X: x, Y: y, Z: 1n };
  const Z1Z1 = mod(p.Z * p.Z);
  const H = mod(x * Z1Z1 - p.X);
  const r = mod(y * p.Z * Z1Z1 - p.Y);
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
  if (points.length === 0) return [];
  const zInv = invertAll(points.map((p) => p.Z));
  return points.map((p, i) => {
    const z = zInv[i]!;
    const z2 = mod(z * z);
    return { x: mod(p.X * z2), y: mod(p.Y * mod(z2 * z)) };
  });
}

/** noble keeps homogeneous projective coordinates (x = X/Z, y = Y/Z); decoded points have Z = 1. */
const jacobianOf = (p: Point): Jac => (p.Z === 1n ? { X: p.X, Y: p.Y, Z: 1n } : { X: mod(p.X * p.Z), Y: mod(p.Y * mod(p.Z * p.Z)), Z: p.Z });

/**
 * The odd multiples P, 3P, …, (2^(w−1) − 1)·P of every base, and the extra points, all affine with
 * one inversion. Trick: with D = 2P = (X_D, Y_D, Z_D), the map (x, y) ↦ (x·Z_D², y·Z_D³) sends
 * the curve to y² = x³ + 7·Z_D⁶, where D is the affine (X_D, Y_D). The a = 0 formulas never use
 * b, so the multiples are built there by mixed additions of D, and an entry (X, Y, Z) there is
 * (X, Y, Z·Z_D) here: no inversion is needed to make D affine first.
 */
function buildTables(bases: readonly Jac[], widths: readonly number[], extra: readonly Jac[]): { tables: Affine[][]; extra: Affine[] } {
  const jacobian: Jac[] = [];
  bases.forEach((p, i) => {
    const d = double(p); // ≠ O: the group has odd prime order
    const zd2 = mod(d.Z * d.Z);
    let t: Jac = { X: mod(p.X * zd2), Y: mod(p.Y * mod(zd2 * d.Z)), Z: p.Z };
    for (let j = 0; j < 1 << (widths[i]! - 2); j++) {
      if (j > 0) t = addAffine(t, d.X, d.Y); // (2j−1)P ≠ ±2P: no exceptional case (n is a large prime)
      jacobian.push({ X: t.X, Y: t.Y, Z: mod(t.Z * d.Z) });
    }
  });
  const affine = toAffineAll([...jacobian, ...extra]);
  const tables: Affine[][] = [];
  let at = 0;
  for (const w of widths) tables.push(affine.slice(at, (at += 1 << (w - 2))));
  return { tables, extra: affine.slice(at) };
}

const psi = (table: readonly Affine[]): Affine[] => table.map((e) => ({ x: mod(e.x * GLV_BETA), y: e.y }));

// Odd multiples of G and of ψ(G) for BASE_WIDTH, built on first use (64 + 64 affine points).
let baseTables: { table: Affine[]; psi: Affine[] } | undefined;
function getBaseTables(): { table: Affine[]; psi: Affine[] } {
  if (!baseTables) {
    const [table] = buildTables([jacobianOf(Point.BASE)], [BASE_WIDTH], []).tables as [Affine[]];
    baseTables = { table, psi: psi(table) };
  }
  return baseTables;
}

/**
 * Width-w non-adjacent form, least significant digit first: digits odd in (−2^(w−1), 2^(w−1)) or 0,
 * Σ dᵢ·2ⁱ = k. Worked on the bits as plain numbers (one BigInt conversion, not one per bit).
 */
function wnaf(k: bigint, width: number): Int8Array {
  const text = k.toString(2);
  const n = text.length;
  const bits = new Uint8Array(n + width + 1); // little-endian bits of what is left of k
  for (let i = 0; i < n; i++) bits[i] = text.charCodeAt(n - 1 - i) - 48;
  const digits = new Int8Array(n + 1);
  const full = 1 << width;
  let length = 0;
  for (let i = 0; i <= n; i++) {
    if (bits[i] === 0) continue;
    let value = 0;
    for (let j = width - 1; j >= 0; j--) value = value * 2 + bits[i + j]!;
    bits.fill(0, i, i + width);
    if (value >= full / 2) {
      // digit value − 2^w: subtracting it leaves 2^w·(carry) at position i + w
      digits[i] = value - full;
      let j = i + width;
      while (bits[j] === 1) bits[j++] = 0;
      bits[j] = 1;
    } else digits[i] = value;
    length = i + 1;
  }
  return digits.subarray(0, length);
}

/** One wNAF digit stream over a table; `neg` flips every digit's sign (a negative GLV half). */
type Stream = { table: readonly Affine[]; digits: Int8Array; neg: boolean };

/** The streams of k·P for a table of P's odd multiples (and ψ(P)'s, made on demand). */
function pushStreams(streams: Stream[], k: bigint, width: number, table: readonly Affine[], psiTable: () => readonly Affine[]): void {
  if (k < HALF) {
    // Already half-width (e.g. a random 128-bit batch weight): splitting could only lengthen it.
    streams.push({ table, digits: wnaf(k, width), neg: false });
    return;
  }
  const { k1neg, k1, k2neg, k2 } = _splitEndoScalar(k, GLV_BASIS, N);
  if (k1 !== 0n) streams.push({ table, digits: wnaf(k1, width), neg: k1neg });
  if (k2 !== 0n) streams.push({ table: psiTable(), digits: wnaf(k2, width), neg: k2neg });
}

/**
 * Σ scalars[i]·points[i] in variable time. Scalars are in [0, n); points are valid curve points
 * (the identity is allowed and contributes nothing). Scalars 1 and −1 cost one addition; terms on
 * `Point.BASE` (that very object) are merged and use the cached base-point tables.
 */
export function msmUnsafe(points: readonly Point[], scalars: readonly bigint[]): Point {
  if (points.length !== scalars.length) throw new Error('msm: points and scalars differ in number');
  const plain: Jac[] = [];
  const plainNeg: boolean[] = [];
  const bases: Jac[] = [];
  const baseScalars: bigint[] = [];
  let g = 0n;
  for (let i = 0; i < points.length; i++) {
    const k = scalars[i]!;
    if (typeof k !== 'bigint' || k < 0n || k >= N) throw new RangeError('msm: scalar out of range');
    const point = points[i]!;
    if (k === 0n || point.is0()) continue;
    if (k === 1n || k === N - 1n) {
      plain.push(jacobianOf(point));
      plainNeg.push(k !== 1n);
    } else if (point === Point.BASE) g = Fn.add(g, k);
    else {
      bases.push(jacobianOf(point));
      baseScalars.push(k);
    }
  }
  const widths = baseScalars.map((k) => (k < HALF ? LONE_WIDTH : SHARED_WIDTH));
  const built = buildTables(
    bases,
    widths,
    plain.filter((q) => q.Z !== 1n),
  );

  const streams: Stream[] = [];
  baseScalars.forEach((k, i) => {
    const table = built.tables[i]!;
    pushStreams(streams, k, widths[i]!, table, () => psi(table));
  });
  if (g !== 0n) {
    const base = getBaseTables();
    pushStreams(streams, g, BASE_WIDTH, base.table, () => base.psi);
  }

  let acc = INFINITY;
  const top = Math.max(0, ...streams.map((s) => s.digits.length));
  for (let bit = top - 1; bit >= 0; bit--) {
    acc = double(acc);
    for (const { table, digits, neg } of streams) {
      const d = digits[bit];
      if (!d) continue;
      const e = table[(d < 0 ? -d : d) >> 1]!;
      acc = addAffine(acc, e.x, d < 0 !== neg ? P - e.y : e.y);
    }
  }
  let normalised = 0;
  plain.forEach((q, i) => {
    const e = q.Z === 1n ? { x: q.X, y: q.Y } : built.extra[normalised++]!;
    acc = addAffine(acc, e.x, plainNeg[i] ? P - e.y : e.y);
  });
  return fromJacobian(acc);
}

/** Jacobian (X, Y, Z) as noble's homogeneous (X·Z, Y, Z³): no inversion (callers often only compare). */
function fromJacobian(p: Jac): Point {
  if (p.Z === 0n) return Point.ZERO;
  // A cheap guard, Y² = X³ + 7·Z⁶: a wrong formula almost never lands on the curve.
  const z2 = mod(p.Z * p.Z);
  if (mod(p.Y * p.Y) !== mod(p.X * mod(p.X * p.X) + 7n * mod(z2 * mod(z2 * z2)))) throw new Error('msm: result is not on the curve');
  return new Point(mod(p.X * p.Z), p.Y, mod(p.Z * z2));
}

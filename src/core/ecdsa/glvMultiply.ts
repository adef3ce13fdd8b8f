/**
 * k·P for a secret k and an arbitrary point P, with the GLV endomorphism and a regular signed window: the base-OT
 * multiplications of the ECDSA setup (README "Sizes and cost"). noble's constant-time `multiply` blinds the scalar to
 * 384 bits and uses no endomorphism; this does about a third of the work and keeps the same discipline.
 *
 * - k = k1 + k2·λ (mod n) with |k1|, |k2| < 2^128 (the reduced basis of secp256k1); signs fold into the points
 *   P and ψ(P) = (β·x, y) without branching (masks).
 * - Each half is made odd (k + 1 when even, corrected by a masked subtraction at the end) and recoded into exactly
 *   DIGITS signed odd digits in {±1, ±3, …, ±(2^W − 1)}: never zero, so every position does the same W doublings
 *   and two additions whatever the scalar (Joye–Tunstall regular recoding).
 * - Table entries are read by scanning the whole table with masks, never by a secret index; negative digits negate
 *   the y coordinate by a mask. Point arithmetic is noble's complete projective formulas (no exceptional cases).
 *
 * JS BigInt arithmetic is not constant time: as elsewhere in the core, the aim is no secret-dependent branches,
 * memory indices or operation counts (README "Deviations": constant time).
 */
import { Fn, Point } from '../curve.ts';

const Fp = Point.Fp;
const P_MOD = Fp.ORDER;
const N = Fn.ORDER;
/** β: cube root of unity mod p, ψ(x, y) = (β·x, y) = λ·(x, y). */
const BETA = 0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501een;
/** Reduced basis {(a1, b1), (a2, b2)} of the lattice {(x, y) : x + y·λ ≡ 0 mod n}. */
const A1 = 0x3086d221a7d46bcde86c90e49284eb15n;
const B1 = -0xe4437ed6010e88286f547fa90abfe4c3n;
const A2 = 0x114ca50f7a8e2f3f657c1108d9d44cfd8n;
const B2 = A1;

const W = 4;
const TABLE_SIZE = 1 << (W - 1); // odd multiples 1·P, 3·P, …, 15·P
/** Halves are < 2^128 + 2 after the odd fix: 32 recoding steps leave a top digit in [1, 2^W). */
const DIGITS = 33;
const MASK = [0n, (1n << 256n) - 1n] as const;

/** `a` if bit = 0, `b` if bit = 1, by masks. */
const select = (a: bigint, b: bigint, bit: 0 | 1): bigint => a ^ ((a ^ b) & MASK[bit]);
const bitOf = (x: bigint): 0 | 1 => Number(x & 1n) as 0 | 1;

/** k = k1 + k2·λ mod n, |k_i| < 2^128: returns |k1|, |k2| and their signs (1 = negative). */
export function splitScalar(k: bigint): { k1: bigint; k2: bigint; neg1: 0 | 1; neg2: 0 | 1 } {
  // Rounded divisions of non-negative numerators (b2·k ≥ 0, −b1·k ≥ 0): no sign-dependent rounding branch.
  const c1 = (B2 * k + N / 2n) / N;
  const c2 = (-B1 * k + N / 2n) / N;
  const s1 = k - c1 * A1 - c2 * A2;
  const s2 = -c1 * B1 - c2 * B2;
  const neg1 = bitOf(s1 >> 255n); // −1 >> 255 = −1 → bit 1; small non-negative → 0
  const neg2 = bitOf(s2 >> 255n);
  return { k1: s1 * (1n - 2n * BigInt(neg1)), k2: s2 * (1n - 2n * BigInt(neg2)), neg1, neg2 };
}

/** Regular signed-window digits of an odd k (least significant first): each odd, in (−2^W, 2^W), never zero. */
export function recodeOdd(k: bigint): Int8Array {
  const d = new Int8Array(DIGITS);
  for (let i = 0; i < DIGITS - 1; i++) {
    const digit = Number(k & BigInt((1 << (W + 1)) - 1)) - (1 << W);
    d[i] = digit;
    k = (k - BigInt(digit)) >> BigInt(W);
  }
  d[DIGITS - 1] = Number(k); // odd, in [1, 2^W) for k < 2^129 (checked by the tests on edge scalars)
  return d;
}

type Coords = { X: bigint; Y: bigint; Z: bigint };

/** The entry |digit| of the table, negated if digit < 0: scans every entry. */
function lookup(table: readonly Coords[], digit: number): Point {
  const neg = (digit >>> 31) as 0 | 1;
  const idx = ((digit ^ -neg) + neg - 1) >> 1; // (|digit| − 1) / 2
  let X = 0n, Y = 0n, Z = 0n;
  for (let j = 0; j < TABLE_SIZE; j++) {
    const m = MASK[(((j ^ idx) - 1) >>> 31) as 0 | 1]; // all ones iff j = idx
    X |= table[j]!.X & m;
    Y |= table[j]!.Y & m;
    Z |= table[j]!.Z & m;
  }
  return new Point(X, select(Y, P_MOD - Y, neg), Z);
}

const negateIf = (p: Point, bit: 0 | 1): Point => new Point(p.X, select(p.Y, P_MOD - p.Y, bit), p.Z);

/** k·P for 0 < k < n and P not the identity (the callers check both). */
export function glvMultiply(P: Point, k: bigint): Point {
  if (typeof k !== 'bigint' || k <= 0n || k >= N) throw new RangeError('glvMultiply: scalar out of range');
  const { k1, k2, neg1, neg2 } = splitScalar(k);
  const even1 = (1 - bitOf(k1)) as 0 | 1;
  const even2 = (1 - bitOf(k2)) as 0 | 1;
  const d1 = recodeOdd(k1 + BigInt(even1));
  const d2 = recodeOdd(k2 + BigInt(even2));
  const P1 = negateIf(P, neg1);
  const P2 = negateIf(new Point(Fp.mul(P.X, BETA), P.Y, P.Z), neg2);
  const T1: Coords[] = [P1];
  const twice = P1.double();
  for (let i = 1; i < TABLE_SIZE; i++) T1.push((T1[i - 1] as Point).add(twice));
  // ψ(j·P1) = j·ψ(P1); ψ(P1) = ±P2 with the sign neg1 ⊕ neg2.
  const flip = (neg1 ^ neg2) as 0 | 1;
  const T2: Coords[] = T1.map((t) => ({ X: Fp.mul(t.X, BETA), Y: select(t.Y, P_MOD - t.Y, flip), Z: t.Z }));
  let Q = lookup(T1, d1[DIGITS - 1]!).add(lookup(T2, d2[DIGITS - 1]!));
  for (let i = DIGITS - 2; i >= 0; i--) {
    for (let j = 0; j < W; j++) Q = Q.double();
    Q = Q.add(lookup(T1, d1[i]!)).add(lookup(T2, d2[i]!));
  }
  // Undo the odd fix: subtract P1 and/or P2, always computed, kept by mask.
  const R1 = Q.subtract(P1);
  Q = new Point(select(Q.X, R1.X, even1), select(Q.Y, R1.Y, even1), select(Q.Z, R1.Z, even1));
  const R2 = Q.subtract(P2);
  return new Point(select(Q.X, R2.X, even2), select(Q.Y, R2.Y, even2), select(Q.Z, R2.Z, even2));
}

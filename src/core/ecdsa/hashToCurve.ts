/**
 * RFC 9380 `secp256k1_XMD:SHA-256_SSWU_RO_` hash-to-curve and compressed-point decoding for the base OTs, on the
 * fast p = 2^256 − C reduction of `glvMultiply.ts` instead of noble's generic `%` field (README "Sizes and cost").
 *
 * The output is the same point as noble's `secp256k1_hasher.hashToCurve` (the tests compare many inputs): the same
 * hash_to_field, the straight-line simplified SWU of RFC 9380 §F.2 with sqrt_ratio for q ≡ 3 (mod 4) (§F.2.1.2),
 * the 3-isogeny of Appendix E.1, Q0 + Q1 (h = 1). What differs is only how it is computed: no inversion (the
 * isogeny's fractions and x = x/tv4 become the projective Z), and exponentiations by a fixed addition chain. Like
 * noble's map it has a fixed operation sequence: no branch or index depends on the input (masks for CMOV), so it is
 * no weaker for the base-OT receiver, whose choice bit decides which of two public strings it hashes.
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Point } from '../curve.ts';
import { addRaw, type Coords, m, norm, powT, sq } from './glvMultiply.ts';

const P = Point.Fp.ORDER;
const MASK = [0n, (1n << 256n) - 1n] as const;
/** `a` if bit = 0, `b` if bit = 1 (canonical operands), by masks. */
const cmov = (a: bigint, b: bigint, bit: 0 | 1): bigint => a ^ ((a ^ b) & MASK[bit]);
/** 1 iff a ≡ b, for canonical a and b, without a data-dependent branch (the comparison itself is BigInt's). */
const eqBit = (a: bigint, b: bigint): 0 | 1 => Number(a === b) as 0 | 1;

/** x^((p+1)/4): a square root of x when one exists. */
export function sqrtCandidate(x: bigint): bigint {
  const { t, x3 } = powT(x);
  return norm(m(sq(t, 8), m(m(x3, x3), m(x3, x3)))); // · x^12
}

/** x^((p−3)/4). */
function powC1(x: bigint): bigint {
  const { t, x2, x3 } = powT(x);
  return m(sq(t, 8), m(m(m(x3, x3), x3), x2)); // · x^11
}

// RFC 9380 §8.7: E': y² = x³ + A'x + B', Z = −11; sqrt(−Z) for sqrt_ratio.
const A_ISO = 0x3f8731abdd661adca08a5558f0f5d272e953d363cb6f0e5d405447c01a444533n;
const B_ISO = 1771n;
const Z_SSWU = P - 11n;
const C2 = sqrtCandidate(11n); // sqrt(−Z) = sqrt(11)
// Appendix E.1 3-isogeny coefficients, ascending degree (denominators monic).
const XNUM = [
  0x8e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38daaaaa8c7n,
  0x7d3d4c80bc321d5b9f315cea7fd44c5d595d2fc0bf63b92dfff1044f17c6581n,
  0x534c328d23f234e6e2a413deca25caece4506144037c40314ecbd0b53d9dd262n,
  0x8e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38daaaaa88cn,
];
const XDEN = [0xd35771193d94918a9ca34ccbb7b640dd86cd409542f8487d9fe6b745781eb49bn, 0xedadc6f64383dc1df7c4b2d51b54225406d36b641f5e41bbc52a56612a8c6d14n, 1n];
const YNUM = [
  0x4bda12f684bda12f684bda12f684bda12f684bda12f684bda12f684b8e38e23cn,
  0xc75e0c32d5cb7c0fa9d0a54b12a0a6d5647ab046d686da6fdffc90fc201d71a3n,
  0x29a6194691f91a73715209ef6512e576722830a201be2018a765e85a9ecee931n,
  0x2f684bda12f684bda12f684bda12f684bda12f684bda12f684bda12f38e38d84n,
];
const YDEN = [
  0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffff93bn,
  0x7a06534bb8bdb49fd5e9e6632722c2989467c1bfc8e8d978dfb425d2685c2573n,
  0x6484aa716545ca2cf3a70c3fa8fe337e0a3d21162f0d6299a7bf8192bfd2a76fn,
  1n,
];

/** Σ c_i·a^i·d^(deg−i): the polynomial at x = a/d, times d^deg. `pows` = [[a^0, a^1, …], [d^0, d^1, …]]. */
function homog(c: readonly bigint[], aP: readonly bigint[], dP: readonly bigint[], deg: number): bigint {
  let s = 0n;
  for (let i = 0; i < c.length; i++) s += m(c[i]!, m(aP[i]!, dP[deg - i]!));
  return s;
}

/** Simplified SWU onto E' (RFC 9380 §F.2), then the 3-isogeny to secp256k1, in projective coordinates. */
function mapToCurve(u: bigint): Coords {
  let tv1 = norm(m(Z_SSWU, m(u, u)));
  let tv2 = norm(m(tv1, tv1) + tv1);
  const tv3 = norm(m(B_ISO, tv2 + 1n));
  const tv4 = norm(m(A_ISO, cmov(Z_SSWU, norm(-tv2), (1 - eqBit(tv2, 0n)) as 0 | 1)));
  tv2 = m(tv3, tv3);
  let tv6 = m(tv4, tv4);
  let tv5 = m(A_ISO, tv6);
  tv2 = m(tv2 + tv5, tv3);
  tv6 = m(tv6, tv4);
  tv5 = m(B_ISO, tv6);
  tv2 = norm(tv2 + tv5);
  tv6 = norm(tv6);
  let x = norm(m(tv1, tv3));
  // sqrt_ratio(tv2, tv6), q ≡ 3 (mod 4) (§F.2.1.2)
  const s1 = m(tv6, tv6);
  const s2 = m(tv2, tv6);
  let y1 = m(powC1(m(s1, s2)), s2);
  const y2 = norm(m(y1, C2));
  y1 = norm(y1);
  const isQR = eqBit(norm(m(m(y1, y1), tv6)), tv2);
  const yr = cmov(y2, y1, isQR);
  // back in map_to_curve_simple_swu
  tv1 = norm(m(m(tv1, u), yr));
  x = cmov(x, tv3, isQR);
  let y = cmov(tv1, yr, isQR);
  const e1 = eqBit(u & 1n, y & 1n);
  y = cmov(norm(-y), y, e1);
  // x' = x / tv4; isogeny: X = Nx·Dy, Y = y·Ny·d·Dx, Z = d·Dx·Dy (README: no inversion)
  const d = tv4;
  const aP = [1n, x, m(x, x)];
  aP.push(m(aP[2]!, x));
  const dP = [1n, d, m(d, d)];
  dP.push(m(dP[2]!, d));
  const nx = homog(XNUM, aP, dP, 3);
  const dx = homog(XDEN, aP, dP, 2);
  const ny = homog(YNUM, aP, dP, 3);
  const dy = homog(YDEN, aP, dP, 3);
  const ddx = m(d, dx);
  return { X: m(nx, dy), Y: m(m(y, ny), ddx), Z: m(ddx, dy) };
}

const enc = new TextEncoder();
const dstCache = new Map<string, Uint8Array>();

/** RFC 9380 hash_to_curve (secp256k1_XMD:SHA-256_SSWU_RO_ with the given DST), as a projective noble Point. */
export function hashToCurve(msg: Uint8Array, dst: string): Point {
  let d = dstCache.get(dst);
  if (!d) {
    d = enc.encode(dst);
    if (dstCache.size < 16) dstCache.set(dst, d);
  }
  const bytes = expand_message_xmd(msg, d, 96, sha256);
  const u0 = be(bytes, 0) % P;
  const u1 = be(bytes, 48) % P;
  const q = addRaw(mapToCurve(u0), mapToCurve(u1));
  const X = norm(q.X);
  const Y = norm(q.Y);
  const Z = norm(q.Z);
  // An exceptional isogeny input (probability ≈ 2^-254) or Q0 = −Q1 gives Z = 0: the identity, as in RFC 9380.
  const zero = eqBit(Z, 0n);
  return new Point(cmov(X, 0n, zero), cmov(Y, 1n, zero), Z);
}

function be(b: Uint8Array, off: number): bigint {
  let x = 0n;
  for (let i = 0; i < 48; i += 8) {
    const v = new DataView(b.buffer, b.byteOffset + off + i, 8).getBigUint64(0);
    x = (x << 64n) | v;
  }
  return x;
}

/**
 * A 33-byte compressed point, fully validated (prefix 2 or 3, x < p, on the curve; never the identity, which has no
 * compressed form), or `undefined`. Only for public bytes: the square root is a fixed chain but the checks branch.
 */
export function decodeCompressed(b: Uint8Array): Point | undefined {
  if (b.length !== 33 || (b[0] !== 2 && b[0] !== 3)) return undefined;
  let x = 0n;
  for (let i = 1; i < 33; i += 8) x = (x << 64n) | new DataView(b.buffer, b.byteOffset + i, 8).getBigUint64(0);
  if (x >= P) return undefined;
  const rhs = norm(m(m(x, x), x) + 7n);
  let y = sqrtCandidate(rhs);
  if (norm(m(y, y)) !== rhs) return undefined;
  if (Number(y & 1n) !== (b[0]! & 1)) y = P - y;
  return new Point(x, y, 1n);
}

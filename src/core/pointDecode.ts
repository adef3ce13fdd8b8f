/**
 * Decompression of 33-byte secp256k1 points, the codec's one expensive step (a square root per
 * point; a t-of-n DKG decodes (n−1)·(t+1) of them per guardian). Same result and same refusals as
 * noble's `Point.fromBytes`, but the square root's ~266 field multiplications reduce by folding
 * (2^256 ≡ 2^32 + 977 mod p) instead of BigInt division, and nothing is checked twice. The point
 * still goes through noble's `assertValidity`. test/core/pointDecode.test.ts compares it with noble.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { Point } from './curve.ts';

const P = Point.Fp.ORDER;
const MASK = (1n << 256n) - 1n;
const FOLD = (1n << 256n) - P; // 2^32 + 977

/** a·b for a, b < 2^257, reduced to below 2^257 (not canonical): two folds of the product. */
function mul(a: bigint, b: bigint): bigint {
  let r = a * b;
  r = (r & MASK) + (r >> 256n) * FOLD;
  return (r & MASK) + (r >> 256n) * FOLD;
}

function square(x: bigint, times: number): bigint {
  for (let i = 0; i < times; i++) x = mul(x, x);
  return x;
}

/** a^((p+1)/4) mod p, a square root of a when one exists (p ≡ 3 mod 4); the addition chain noble uses. */
function sqrtCandidate(a: bigint): bigint {
  const b2 = mul(mul(a, a), a);
  const b3 = mul(mul(b2, b2), a);
  const b6 = mul(square(b3, 3), b3);
  const b9 = mul(square(b6, 3), b3);
  const b11 = mul(square(b9, 2), b2);
  const b22 = mul(square(b11, 11), b11);
  const b44 = mul(square(b22, 22), b22);
  const b88 = mul(square(b44, 44), b44);
  const b176 = mul(square(b88, 88), b88);
  const b220 = mul(square(b176, 44), b44);
  const b223 = mul(square(b220, 3), b3);
  const t1 = mul(square(b223, 23), b22);
  const t2 = mul(square(t1, 6), b2);
  return square(t2, 2) % P;
}

/** The point encoded by 0x02/0x03 ‖ x (33 bytes), or undefined if there is none. Never the identity. */
export function decompressPoint(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 33 || (bytes[0] !== 2 && bytes[0] !== 3)) return undefined;
  const x = BigInt('0x' + bytesToHex(bytes.subarray(1)));
  if (x >= P) return undefined;
  const rhs = (mul(mul(x, x), x) + 7n) % P;
  let y = sqrtCandidate(rhs);
  if ((y * y) % P !== rhs) return undefined; // x³ + 7 is not a square: x is on no curve point
  // y = 0 would be a point of order 2, which a prime-order group has not: never happens.
  if ((y & 1n) !== BigInt(bytes[0] & 1)) y = P - y;
  const point = Point.fromAffine({ x, y });
  point.assertValidity();
  return point;
}

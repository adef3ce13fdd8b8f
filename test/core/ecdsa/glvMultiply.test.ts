/**
 * The GLV multiplication of the base OTs (src/core/ecdsa/glvMultiply.ts) against noble's constant-time
 * Point.multiply, on random and edge scalars (0 < k < n) and random points; and its pieces: the scalar split
 * and the regular recoding (every digit odd, in range, never zero, and they add back up to k). The batched
 * lock-step version (`glvMultiplyMany`, affine steps sharing one Fermat inversion) against the same reference.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { glvMultiply, glvMultiplyMany, invert, recodeOdd, splitScalar } from '../../../src/core/ecdsa/glvMultiply.ts';
import { mulSecret } from '../../../src/core/ecdsa/encoding.ts';

const Point = secp256k1.Point;
const n = Point.Fn.ORDER;
const LAMBDA = 0x5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72n;
const random = (): bigint => {
  for (;;) {
    const k = Point.Fn.create(BigInt('0x' + Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('hex')));
    if (k !== 0n) return k;
  }
};
const EDGES = [
  1n,
  2n,
  3n,
  15n,
  16n,
  17n,
  31n,
  32n,
  n - 1n,
  n - 2n,
  n - 3n,
  n - 16n,
  (n - 1n) / 2n,
  (n + 1n) / 2n,
  LAMBDA,
  LAMBDA + 1n,
  LAMBDA - 1n,
  n - LAMBDA,
  (LAMBDA * LAMBDA) % n,
  1n << 128n,
  (1n << 128n) - 1n,
  (1n << 128n) + 1n,
  (1n << 129n) + 1n,
  (1n << 255n) % n,
  2n ** 256n - n - 1n,
  0x3086d221a7d46bcde86c90e49284eb15n,
  0xe4437ed6010e88286f547fa90abfe4c3n,
];

describe('glvMultiply', () => {
  it("equals noble's Point.multiply on edge scalars and 300 random (scalar, point) pairs", () => {
    const points = [Point.BASE, Point.BASE.negate(), ...Array.from({ length: 6 }, () => Point.BASE.multiply(random()))];
    for (const P of points) for (const k of EDGES) expect(glvMultiply(P, k).equals(P.multiply(k)), `k = ${k}`).toBe(true);
    for (let i = 0; i < 300; i++) {
      const P = points[i % points.length]!;
      const k = random();
      expect(glvMultiply(P, k).equals(P.multiply(k))).toBe(true);
    }
    expect(mulSecret(Point.BASE, 0n).is0()).toBe(true);
    expect(() => glvMultiply(Point.BASE, n)).toThrow(RangeError);
    expect(() => glvMultiply(Point.BASE, 0n)).toThrow(RangeError);
  });

  it('splits k into halves below 2^128 with k ≡ ±k1 ± k2·λ', () => {
    for (const k of [...EDGES, ...Array.from({ length: 200 }, random)]) {
      const { k1, k2, neg1, neg2 } = splitScalar(k);
      expect(k1 >= 0n && k1 < 1n << 128n && k2 >= 0n && k2 < 1n << 128n).toBe(true);
      const s1 = neg1 ? -k1 : k1;
      const s2 = neg2 ? -k2 : k2;
      expect((((s1 + s2 * LAMBDA) % n) + n) % n).toBe(k);
    }
  });

  it('recodes every odd half into 33 odd non-zero digits in (−16, 16) that add back up', () => {
    const halves = [1n, 3n, (1n << 128n) + 1n, (1n << 128n) - 1n, ...Array.from({ length: 200 }, () => (random() >> 127n) | 1n)];
    for (const k of halves) {
      const d = recodeOdd(k);
      expect(d.length).toBe(33);
      let sum = 0n;
      for (let i = d.length - 1; i >= 0; i--) {
        expect(Math.abs(d[i]!) % 2).toBe(1);
        expect(Math.abs(d[i]!)).toBeLessThan(16);
        sum = sum * 16n + BigInt(d[i]!);
      }
      expect(d[32]!).toBeGreaterThan(0);
      expect(sum).toBe(k);
    }
  });

  it("glvMultiplyMany equals noble's multiply on edge scalars, points and random batches", () => {
    const points = [Point.BASE, Point.BASE.negate(), ...Array.from({ length: 6 }, () => Point.BASE.multiply(random()))];
    // every edge scalar against every point, in one batch (one inversion shared by all of them)
    const ps = points.flatMap((P) => EDGES.map(() => P));
    const ks = points.flatMap(() => EDGES);
    const got = glvMultiplyMany(ps, ks);
    got.forEach((Q, i) => expect(Q.equals(ps[i]!.multiply(ks[i]!)), `k = ${ks[i]}`).toBe(true));
    // points with Z ≠ 1 (A0 = m0 + H(…) in the base OTs is projective)
    const projective = Point.BASE.multiply(random()).add(Point.BASE.multiply(random()));
    expect(glvMultiplyMany([projective], [LAMBDA])[0]!.equals(projective.multiply(LAMBDA))).toBe(true);
    expect(glvMultiplyMany([], [])).toEqual([]);
    expect(() => glvMultiplyMany([Point.BASE], [0n])).toThrow(RangeError);
    expect(() => glvMultiplyMany([Point.BASE], [n])).toThrow(RangeError);
    expect(() => glvMultiplyMany([Point.BASE], [])).toThrow(RangeError);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 1n, max: n - 1n }), fc.bigInt({ min: 1n, max: n - 1n })), { minLength: 1, maxLength: 12 }), (pairs) => {
        const P = pairs.map(([p]) => Point.BASE.multiply(p));
        const out = glvMultiplyMany(
          P,
          pairs.map(([, k]) => k),
        );
        return out.every((Q, i) => Q.equals(P[i]!.multiply(pairs[i]![1])));
      }),
      { numRuns: 40 },
    );
  });

  it("invert (Fermat, fixed chain) equals noble's Fp.inv, also on non-canonical inputs", () => {
    const Fp = Point.Fp;
    for (const x of [1n, 2n, 3n, Fp.ORDER - 1n, Fp.ORDER - 2n, 1n << 255n, ...Array.from({ length: 50 }, random)]) {
      const r = invert(x);
      expect(Fp.create(r)).toBe(Fp.inv(Fp.create(x)));
      expect(Fp.create(invert(x + Fp.ORDER))).toBe(Fp.inv(Fp.create(x)));
    }
  });
});

/**
 * The variable-time multi-scalar multiplication (src/core/msm.ts) against noble's plain
 * point arithmetic: random inputs, and the exceptional cases an adversary can force (identity,
 * equal points, opposite points, cancelling sums, scalars 0, 1, n−1), plus the GLV constants; and
 * the core's hashToScalar against noble's hasher. The fast paths (cached base-point tables, tables
 * built on an isomorphic curve, plain ±1 terms) each have cases that reach them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { secp256k1_hasher } from '@noble/curves/secp256k1.js';
import { Fn, Point, hashToScalar } from '../../src/core/curve.ts';
import { GLV_BASIS, GLV_BETA, GLV_LAMBDA, msmUnsafe } from '../../src/core/msm.ts';

const Fp = Point.Fp;
const N = Fn.ORDER;
/** The straightforward sum: one multiplication per term, then additions (noble only). */
const naive = (points: readonly Point[], scalars: readonly bigint[]) => points.reduce((acc, p, i) => acc.add(p.multiplyUnsafe(scalars[i]!)), Point.ZERO);
const pointOf = (k: bigint) => Point.BASE.multiply(k);

const scalarArb = fc.oneof(
  fc.bigInt({ min: 1n, max: N - 1n }),
  fc.bigInt({ min: 2n, max: 1n << 130n }), // half-width scalars skip the GLV split
  fc.constantFrom(0n, 1n, 2n, 3n, N - 1n, N - 2n, (N - 1n) / 2n, 1n << 128n, (1n << 128n) - 1n),
);
const pointArb = fc.oneof(fc.bigInt({ min: 1n, max: N - 1n }).map(pointOf), fc.constantFrom(Point.BASE, Point.BASE.negate(), Point.ZERO));

describe('GLV endomorphism constants', () => {
  it('β and λ are non-trivial cube roots of unity and ψ(G) = λ·G', () => {
    expect(Fp.pow(GLV_BETA, 3n)).toBe(1n);
    expect(GLV_BETA).not.toBe(1n);
    expect(Fn.pow(GLV_LAMBDA, 3n)).toBe(1n);
    expect(GLV_LAMBDA).not.toBe(1n);
    const psiG = Point.fromAffine({ x: Fp.mul(Point.BASE.x, GLV_BETA), y: Point.BASE.y });
    expect(psiG.equals(Point.BASE.multiply(GLV_LAMBDA))).toBe(true);
  });
  it('the basis vectors lie in the kernel of (a, b) ↦ a + b·λ', () => {
    for (const [a, b] of GLV_BASIS) expect(Fn.create(a + b * GLV_LAMBDA)).toBe(0n);
  });
});

describe('msmUnsafe', () => {
  it('equals the straightforward sum on random inputs (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(pointArb, scalarArb), { minLength: 0, maxLength: 10 }), (terms) => {
        const points = terms.map(([p]) => p);
        const scalars = terms.map(([, k]) => k);
        expect(msmUnsafe(points, scalars).equals(naive(points, scalars))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('accepts points in any projective representation (not only decoded, Z = 1)', () => {
    const P = pointOf(5n).add(pointOf(7n)); // Z ≠ 1
    const Q = pointOf(11n).double();
    expect(P.Z).not.toBe(1n);
    const k = [0x1234567890abcdefn, N - 5n];
    expect(msmUnsafe([P, Q], k).equals(naive([P, Q], k))).toBe(true);
  });

  it('handles equal and opposite points at every stage of the walk', () => {
    const P = pointOf(0xdeadbeefn);
    const k = 0x5555555555555555555555555555555555555555555555555555555555555555n;
    const cases: Array<[Point[], bigint[]]> = [
      [
        [P, P],
        [1n, 1n],
      ], // plain additions hitting P + P
      [
        [P, P.negate()],
        [1n, 1n],
      ], // plain additions cancelling to the identity
      [
        [P, P],
        [k, k],
      ], // equal streams: the walk adds a point to itself
      [
        [P, P.negate()],
        [k, k],
      ], // opposite streams: cancels at every step
      [
        [P, P],
        [k, N - k],
      ], // k·P + (n − k)·P = O
      [
        [P, pointOf(0xdeadbeefn * 3n)],
        [3n, N - 1n],
      ], // 3P − 3P = O
      [
        [P, P, P],
        [1n, 1n, N - 2n],
      ], // P + P − 2P = O via plain and scaled terms
      [
        [Point.BASE, Point.BASE.negate(), P],
        [2n, 2n, N - 1n],
      ],
      [[P], [N - 1n]],
      [[P], [0n]],
      [
        [Point.ZERO, P],
        [k, 1n],
      ],
      [
        [pointOf(GLV_LAMBDA), Point.BASE],
        [k, Fn.neg(Fn.mul(k, GLV_LAMBDA))],
      ], // ψ-related points cancel
    ];
    for (const [points, scalars] of cases) expect(msmUnsafe(points, scalars).equals(naive(points, scalars))).toBe(true);
  });

  it('returns the identity for an empty sum and refuses out-of-range scalars', () => {
    expect(msmUnsafe([], []).is0()).toBe(true);
    expect(() => msmUnsafe([Point.BASE], [N])).toThrow();
    expect(() => msmUnsafe([Point.BASE], [-1n])).toThrow();
    expect(() => msmUnsafe([Point.BASE], [])).toThrow();
  });
});

describe('msmUnsafe fast paths against the straightforward sum', () => {
  const G = Point.BASE;
  const k = 0x5555555555555555555555555555555555555555555555555555555555555555n;
  const half = 0x1234567890abcdef1234567890abcdefn; // below 2^129: one stream, no GLV split
  it('terms on Point.BASE use the cached base tables, merged into one coefficient', () => {
    const P = pointOf(0xabcdefn);
    const cases: Array<[Point[], bigint[]]> = [
      [[G], [k]], // full width: both GLV halves on the base tables
      [[G], [half]], // half width: one stream on the base table
      [
        [G, P, G],
        [k, half, N - 5n],
      ], // merged base coefficient k − 5
      [
        [G, G],
        [k, N - k],
      ], // merged coefficient 0: no base stream at all
      [
        [G, G, P],
        [k, N - k, 3n],
      ],
      [
        [G, pointOf(1n)],
        [k, N - k],
      ], // a decoded copy of G is not Point.BASE: cancels across both paths
      [
        [G, P],
        [N - 1n, 2n],
      ], // −G is a plain term
    ];
    for (const [points, scalars] of cases) expect(msmUnsafe(points, scalars).equals(naive(points, scalars))).toBe(true);
  });
  it('plain (±1) terms in projective form are normalised with the tables', () => {
    const P = pointOf(5n).add(pointOf(7n)); // Z ≠ 1
    const Q = pointOf(11n).double();
    const R = pointOf(13n);
    expect(P.Z).not.toBe(1n);
    const cases: Array<[Point[], bigint[]]> = [
      [
        [P, Q],
        [1n, N - 1n],
      ], // only plain terms, both projective
      [
        [P, R, Q],
        [1n, k, N - 1n],
      ],
      [
        [P, R, Q, G],
        [N - 1n, half, 1n, k],
      ],
      [
        [P, P.negate()],
        [1n, 1n],
      ],
    ];
    for (const [points, scalars] of cases) expect(msmUnsafe(points, scalars).equals(naive(points, scalars))).toBe(true);
  });
  it('mixes half-width (width-4 table) and full-width (shared width-5 table) scalars (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 1n, max: N - 1n }), fc.oneof(fc.bigInt({ min: 2n, max: (1n << 129n) - 1n }), fc.bigInt({ min: 2n, max: N - 2n }))), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.bigInt({ min: 0n, max: N - 1n }),
        (terms, g) => {
          const points = [...terms.map(([d]) => pointOf(d)), G];
          const scalars = [...terms.map(([, s]) => s), g];
          expect(msmUnsafe(points, scalars).equals(naive(points, scalars))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('hashToScalar', () => {
  it('equals noble’s secp256k1_hasher.hashToScalar (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ minLength: 1, maxLength: 300 }), (msg, dst) => {
        expect(hashToScalar(dst, msg)).toBe(secp256k1_hasher.hashToScalar(msg, { DST: dst }));
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The DKG's batched public checks against the straightforward ones: the proof-of-knowledge batch
 * (first weight 1, the others random) must refuse a forged proof wherever it stands, also when
 * two forgeries would cancel under equal weights; the commitment sums must equal noble's
 * entry-by-entry additions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fn, Point, randomScalar } from '../../src/core/curve.ts';
import { proveKnowledge, verifyKnowledge, verifyKnowledgeBatch } from '../../src/core/dkg/proofOfKnowledge.ts';
import { addCommitments } from '../../src/core/polynomial.ts';

const session = new Uint8Array(32).fill(3);
const idOf = (i: number) => Fn.toBytes(BigInt(1000 + i)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '');

function honestProofs(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const secret = randomScalar();
    const publicKey = Point.BASE.multiply(secret);
    return { id: idOf(i), publicKey, proof: proveKnowledge(session, idOf(i), secret, undefined, publicKey) };
  });
}

/** μ shifted by `delta`: the proof's check R = μ·G − c·A is off by exactly −delta·G. */
const shifted = <T extends { proof: { R: Point; mu: bigint } }>(item: T, delta: bigint): T => ({
  ...item,
  proof: { ...item.proof, mu: Fn.add(item.proof.mu, delta) },
});

describe('verifyKnowledgeBatch', () => {
  it('accepts honest proofs (1 to 5 of them) and agrees with the single check', () => {
    for (let n = 1; n <= 5; n++) {
      const items = honestProofs(n);
      expect(verifyKnowledgeBatch(session, items)).toBe(true);
      for (const it of items) expect(verifyKnowledge(session, it.id, it.publicKey, it.proof)).toBe(true);
    }
  });

  it('refuses one forged proof at every position, the weight-1 position included', () => {
    const items = honestProofs(4);
    for (let bad = 0; bad < items.length; bad++) {
      const forged = items.map((it, i) => (i === bad ? shifted(it, 1n) : it));
      expect(verifyKnowledgeBatch(session, forged)).toBe(false);
      expect(verifyKnowledge(session, forged[bad]!.id, forged[bad]!.publicKey, forged[bad]!.proof)).toBe(false);
    }
  });

  it('refuses two forgeries whose errors cancel under equal weights (−G and +G)', () => {
    const items = honestProofs(4);
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [0, 3],
    ] as const) {
      const forged = items.map((it, i) => (i === a ? shifted(it, 1n) : i === b ? shifted(it, Fn.neg(1n)) : it));
      expect(verifyKnowledgeBatch(session, forged)).toBe(false);
    }
  });

  it('refuses a proof moved to another identifier or session', () => {
    const items = honestProofs(3);
    expect(verifyKnowledgeBatch(session, [items[0]!, { ...items[1]!, id: idOf(9) }, items[2]!])).toBe(false);
    expect(verifyKnowledgeBatch(new Uint8Array(32).fill(4), items)).toBe(false);
  });
});

describe('addCommitments', () => {
  const naiveSum = (vectors: Point[][]) => vectors[0]!.map((_, k) => vectors.reduce((acc, v) => acc.add(v[k]!), Point.ZERO));

  it('equals noble’s entry-by-entry sum (property), identities and cancellations included', () => {
    const pointArb = fc.oneof(
      fc.bigInt({ min: 1n, max: Fn.ORDER - 1n }).map((k) => Point.BASE.multiply(k)),
      fc.constantFrom(Point.ZERO, Point.BASE, Point.BASE.negate()),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((t) => fc.array(fc.array(pointArb, { minLength: t, maxLength: t }), { minLength: 1, maxLength: 5 })),
        (vectors) => {
          const sum = addCommitments(vectors);
          naiveSum(vectors).forEach((p, k) => expect(sum[k]!.equals(p)).toBe(true));
        },
      ),
      { numRuns: 40 },
    );
    const P = Point.BASE.multiply(12345n);
    const [zero, twice] = addCommitments([
      [P, P],
      [P.negate(), P],
    ]);
    expect(zero!.is0()).toBe(true);
    expect(twice!.equals(P.double())).toBe(true);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => addCommitments([[Point.BASE], [Point.BASE, Point.BASE]])).toThrow(/different lengths/);
  });
});

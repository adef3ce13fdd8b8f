/**
 * Nonce commitments and DKG round-1 points travel uncompressed (no square root per received
 * point). The decoders accept exactly one encoding per point: 0x04 ‖ x ‖ y with x, y < p, on the
 * curve; anything else is MALFORMED naming the sender.
 */
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/core/index.ts';
import { Fn, Point, randomScalar } from '../../src/core/curve.ts';
import { ByteReader } from '../../src/core/encoding.ts';
import { decodeDkgRound1, encodeDkgRound1 } from '../../src/core/dkg/dkgPackages.ts';
import { decodeCommitmentPoints, encodeCommitment } from '../../src/core/frost/frostPackages.ts';

const Fp = Point.Fp;
const session = new Uint8Array(32).fill(5);
const from = Fn.toBytes(12345n).reduce((h, b) => h + b.toString(16).padStart(2, '0'), '');

/** A valid point whose x is below 2^256 − p, so x + p still fits in 32 bytes (a non-canonical x). */
function smallXPoint(): Point {
  for (let x = 1n; ; x++) {
    try {
      return Point.fromAffine({ x, y: Fp.sqrt(Fp.add(Fp.pow(x, 3n), 7n)) });
    } catch {
      /* x³ + 7 is not a square: next x */
    }
  }
}

const be32 = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * (31 - i))) & 0xffn));

/** Variants of a valid uncompressed encoding that must all be refused. */
function badEncodings(p: Point): Uint8Array[] {
  const good = p.toBytes(false);
  const offCurve = good.slice();
  offCurve[64] = offCurve[64]! ^ 1;
  const wrongPrefix = good.slice();
  wrongPrefix[0] = 0x02;
  const hybrid = good.slice();
  hybrid[0] = 0x06 | Number(p.y & 1n); // SEC 1 "hybrid" form
  const zero = new Uint8Array(65);
  zero[0] = 0x04;
  const q = smallXPoint();
  const nonCanonicalX = Uint8Array.from([0x04, ...be32(q.x + Fp.ORDER), ...be32(q.y)]);
  const cases = [offCurve, wrongPrefix, hybrid, zero, nonCanonicalX];
  // y + p fits in 32 bytes only for small y; use −q's y or q's, whichever is small enough.
  for (const y of [q.y, Fp.neg(q.y)]) if (y + Fp.ORDER < 1n << 256n) cases.push(Uint8Array.from([0x04, ...be32(q.x), ...be32(y + Fp.ORDER)]));
  return cases;
}

function expectMalformed(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe('MALFORMED');
    expect((err as CairnError).culprits).toEqual([from]);
    return;
  }
  throw new Error('expected MALFORMED');
}

describe('uncompressed point decoding', () => {
  it('round-trips, and x + p (same point mod p) is refused', () => {
    const p = Point.BASE.multiply(randomScalar());
    expect(new ByteReader(p.toBytes(false), 'test').pointUncompressed().equals(p)).toBe(true);
    const q = smallXPoint();
    expect(() => new ByteReader(Uint8Array.from([0x04, ...be32(q.x + Fp.ORDER), ...be32(q.y)]), 'test').pointUncompressed()).toThrow(CairnError);
    expect(() => new ByteReader(q.toBytes(true), 'test').pointUncompressed()).toThrow(CairnError);
  });

  it('relies on noble refusing field elements ≥ p (so each point has exactly one accepted encoding)', () => {
    for (const v of [Fp.ORDER, Fp.ORDER + 1n, (1n << 256n) - 1n]) expect(() => Fp.fromBytes(be32(v))).toThrow();
    expect(Fp.fromBytes(be32(Fp.ORDER - 1n))).toBe(Fp.ORDER - 1n);
  });

  it('a nonce commitment with any non-canonical or invalid point → MALFORMED naming the sender', () => {
    const D = Point.BASE.multiply(randomScalar());
    const E = Point.BASE.multiply(randomScalar());
    const good = encodeCommitment(session, { identifier: from, hiding: D, binding: E });
    const decoded = decodeCommitmentPoints(good, session, from);
    expect(decoded.hiding.equals(D) && decoded.binding.equals(E)).toBe(true);
    expect(decoded.hidingBytes).toEqual(D.toBytes(true));
    const header = good.length - 130;
    for (const bad of badEncodings(E)) {
      const bytes = good.slice();
      bytes.set(bad, header + 65);
      expectMalformed(() => decodeCommitmentPoints(bytes, session, from));
    }
  });

  it('a DKG round-1 package with any non-canonical or invalid point → MALFORMED naming the sender', () => {
    const C = [1, 2, 3].map(() => Point.BASE.multiply(randomScalar()));
    const R = Point.BASE.multiply(randomScalar());
    const good = encodeDkgRound1(session, from, { commitment: C, proof: { R, mu: 7n } });
    const body = decodeDkgRound1(good, session, from);
    expect(body.commitment.every((c, i) => c.equals(C[i]!)) && body.proof.R.equals(R)).toBe(true);
    const rAt = good.length - 32 - 65;
    for (const bad of badEncodings(R)) {
      const bytes = good.slice();
      bytes.set(bad, rAt);
      expectMalformed(() => decodeDkgRound1(bytes, session, from));
      const inCommitment = good.slice();
      inCommitment.set(bad, rAt - 65); // the last commitment entry
      expectMalformed(() => decodeDkgRound1(inCommitment, session, from));
    }
  });
});

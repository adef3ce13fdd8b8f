/**
 * Schnorr proof of knowledge of a_0 (FROST KeyGen round 1, step 2). Unlike noble/ZF's HDKG, the
 * challenge also hashes the session id, so a proof can't be replayed into another session.
 */
import { Fn, Point, hashToScalar, randomScalar, type Rng } from '../curve.ts';
import { ByteWriter } from '../encoding.ts';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import type { Identifier } from '../identifier.ts';

const POK_DST = 'cairn/dkg-proof-of-knowledge/v1';

function challenge(session: Uint8Array, id: Identifier, publicKey: Point, R: Point): bigint {
  return hashToScalar(POK_DST, new ByteWriter().bytes(session).identifier(id).point(publicKey).point(R).finish());
}

export function proveKnowledge(session: Uint8Array, id: Identifier, secret: bigint, rng?: Rng): { R: Point; mu: bigint } {
  const k = randomScalar(rng);
  const R = Point.BASE.multiply(k);
  const c = challenge(session, id, Point.BASE.multiply(secret), R);
  return { R, mu: Fn.add(k, Fn.mul(secret, c)) };
}

/** R == μ·G − c·A₀ (all public: variable-time is fine). */
export function verifyKnowledge(session: Uint8Array, id: Identifier, publicKey: Point, proof: { R: Point; mu: bigint }): boolean {
  const c = challenge(session, id, publicKey, proof.R);
  return proof.R.equals(mulAddUnsafe(Point, [Point.BASE, publicKey], [proof.mu, Fn.neg(c)]));
}

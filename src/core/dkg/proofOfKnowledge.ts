/**
 * Schnorr proof of knowledge of a_0 (FROST KeyGen round 1, step 2). Unlike noble/ZF's HDKG, the
 * challenge also hashes the session id, so a proof can't be replayed into another session.
 */
import { Fn, Point, defaultRng, hashToScalar, randomScalar, type Rng } from '../curve.ts';
import { ByteWriter } from '../encoding.ts';
import { msmUnsafe } from '../msm.ts';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Identifier } from '../identifier.ts';

const POK_DST = 'cairn/dkg-proof-of-knowledge/v1';

function challenge(session: Uint8Array, id: Identifier, publicKey: Point, R: Point): bigint {
  return hashToScalar(POK_DST, new ByteWriter().bytes(session).identifier(id).point(publicKey).point(R).finish());
}

/** `publicKey` is secret·G when the caller already has it (the commitment's first entry). */
export function proveKnowledge(session: Uint8Array, id: Identifier, secret: bigint, rng?: Rng, publicKey?: Point): { R: Point; mu: bigint } {
  const k = randomScalar(rng);
  const R = Point.BASE.multiply(k);
  const c = challenge(session, id, publicKey ?? Point.BASE.multiply(secret), R);
  return { R, mu: Fn.add(k, Fn.mul(secret, c)) };
}

/**
 * Checks many proofs at once: Σ rᵢ·(Rᵢ − μᵢ·G + cᵢ·Aᵢ) = 0 (one multi-scalar multiplication) with
 * r₁ = 1 and random odd 128-bit rᵢ for the others. Only the ratios of the weights matter, so the
 * first can be 1 (its R costs one addition instead of a table and a walk): a forged proof, wherever
 * it stands, passes only if some random weight takes one particular value, probability 2⁻¹²⁷.
 * When the batch fails, callers check each proof alone to name the culprit.
 */
export function verifyKnowledgeBatch(
  session: Uint8Array,
  items: ReadonlyArray<{ id: Identifier; publicKey: Point; proof: { R: Point; mu: bigint } }>,
  rng: Rng = defaultRng,
): boolean {
  if (items.length === 0) return true;
  const points: Point[] = [Point.BASE];
  const scalars: bigint[] = [0n];
  items.forEach(({ id, publicKey, proof }, i) => {
    const weight = i === 0 ? 1n : BigInt('0x' + bytesToHex(rng(16))) | 1n;
    const c = challenge(session, id, publicKey, proof.R);
    points.push(proof.R, publicKey);
    scalars.push(weight, Fn.mul(weight, c));
    scalars[0] = Fn.sub(scalars[0]!, Fn.mul(weight, proof.mu));
  });
  return msmUnsafe(points, scalars).is0();
}

/** R == μ·G − c·A₀ (all public: variable-time is fine). */
export function verifyKnowledge(session: Uint8Array, id: Identifier, publicKey: Point, proof: { R: Point; mu: bigint }): boolean {
  const c = challenge(session, id, publicKey, proof.R);
  return proof.R.equals(msmUnsafe([Point.BASE, publicKey], [proof.mu, Fn.neg(c)]));
}

/** Shamir/Feldman polynomial helpers over the secp256k1 scalar field. */
import { CairnError } from './errors.ts';
import { Fn, Point, randomScalar, type Rng } from './curve.ts';
import { identifierToScalar, type Identifier } from './identifier.ts';
import { msmUnsafe } from './msm.ts';

/** Random polynomial of degree t−1 with the given constant term. */
export function randomPolynomial(constant: bigint, threshold: number, rng?: Rng): bigint[] {
  const coefficients = [constant];
  for (let i = 1; i < threshold; i++) coefficients.push(randomScalar(rng));
  return coefficients;
}

export function evaluatePolynomial(coefficients: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let i = coefficients.length - 1; i >= 0; i--) acc = Fn.add(Fn.mul(acc, x), coefficients[i]!);
  return acc;
}

/** Feldman commitment: one point per coefficient (the constant term's may be the identity for zero). */
export function commitPolynomial(coefficients: readonly bigint[]): Point[] {
  return coefficients.map((c) => (c === 0n ? Point.ZERO : Point.BASE.multiply(c)));
}

/** Σ C_k·x^k — the public image of the polynomial at x (one variable-time multi-scalar multiplication; public data). */
export function evaluateCommitment(commitment: readonly Point[], x: bigint): Point {
  const powers: bigint[] = [];
  let power = 1n;
  for (let k = 0; k < commitment.length; k++) {
    powers.push(power);
    power = Fn.mul(power, x);
  }
  return msmUnsafe(commitment, powers);
}

/** Feldman check: share·G == Σ C_k·id^k. */
export function shareMatchesCommitment(share: bigint, commitment: readonly Point[], id: Identifier): boolean {
  return shareMatchesImage(share, evaluateCommitment(commitment, identifierToScalar(id)));
}

/** share·G == image, for an image already evaluated (the share is secret: constant-time multiplication). */
export function shareMatchesImage(share: bigint, image: Point): boolean {
  if (share === 0n) return false;
  return Point.BASE.multiply(share).equals(image);
}

/** Lagrange coefficient of `self` over `set`, evaluated at `at` (0 for the secret). */
export function lagrangeCoefficient(self: Identifier, set: readonly Identifier[], at = 0n): bigint {
  const xi = identifierToScalar(self);
  let num = 1n;
  let den = 1n;
  for (const other of set) {
    if (other === self) continue;
    const xj = identifierToScalar(other);
    num = Fn.mul(num, Fn.sub(xj, at));
    den = Fn.mul(den, Fn.sub(xj, xi));
  }
  if (den === 0n) throw new CairnError('BAD_PARAMETERS', 'Duplicate identifiers in an interpolation set');
  return Fn.mul(num, Fn.inv(den));
}

/**
 * Adds commitment vectors entry by entry (they must have equal length). The points are public, so
 * each entry is one variable-time sum (mixed Jacobian additions, cheaper than noble's complete ones).
 */
export function addCommitments(vectors: readonly (readonly Point[])[]): Point[] {
  const len = vectors[0]?.length ?? 0;
  if (vectors.some((v) => v.length !== len)) throw new CairnError('BAD_COMMITMENT_LENGTH', 'Commitment vectors of different lengths');
  const ones = vectors.map(() => 1n);
  return Array.from({ length: len }, (_, k) =>
    msmUnsafe(
      vectors.map((v) => v[k]!),
      ones,
    ),
  );
}

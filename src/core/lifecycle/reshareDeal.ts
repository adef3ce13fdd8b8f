/**
 * Reshare, dealer side (one shot): share this device's Lagrange part λ_i^S·s_i with a fresh
 * polynomial g_i of degree t′−1 (g_i(0) = λ_i^S·s_i), broadcast its t′ commitments and send g_i(j)
 * to every new holder — including this device itself when it is also a new holder (deliver that
 * one locally). The dealers' constant terms then add up to the secret, so new holders combine by
 * plain addition (no scalar multiplications on their side).
 */
import { CairnError } from '../errors.ts';
import { Fn, type Rng } from '../curve.ts';
import { identifierToScalar, type Identifier } from '../identifier.ts';
import type { KeyPackage } from '../keyPackage.ts';
import { commitPolynomial, evaluatePolynomial, randomPolynomial } from '../polynomial.ts';
import { assertSamePublic } from './lifecycleSession.ts';
import { reshareContext, type ReshareParams } from './reshareParams.ts';
import { encodeReshareRound1, encodeReshareRound2 } from './resharePackages.ts';

export type ReshareDealResult = {
  /** To every new holder (same bytes to all). */
  broadcast: Uint8Array;
  /** New holder → its share package. */
  outgoing: Map<Identifier, Uint8Array>;
};

export function reshareDeal(params: ReshareParams, key: KeyPackage, rng?: Rng): ReshareDealResult {
  const ctx = reshareContext(params);
  assertSamePublic(key.public, ctx.previous);
  if (!ctx.dealers.identifiers.includes(key.identifier)) throw new CairnError('BAD_PARAMETERS', 'This device is not a dealer of this reshare');
  const coefficients = randomPolynomial(Fn.mul(ctx.lambdas.get(key.identifier)!, Fn.fromBytes(key.signingShare)), ctx.newThreshold, rng);
  const broadcast = encodeReshareRound1(ctx.session, key.identifier, commitPolynomial(coefficients));
  const outgoing = new Map<Identifier, Uint8Array>();
  for (const to of ctx.newRoster.identifiers)
    outgoing.set(to, encodeReshareRound2(ctx.session, key.identifier, to, evaluatePolynomial(coefficients, identifierToScalar(to))));
  coefficients.fill(0n);
  return { broadcast, outgoing };
}

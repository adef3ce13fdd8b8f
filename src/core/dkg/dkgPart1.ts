/** DKG round 1: sample a polynomial of degree t−1, commit to it, prove knowledge of a_0, broadcast. */
import { randomScalar, type Rng } from '../curve.ts';
import { commitPolynomial, randomPolynomial } from '../polynomial.ts';
import { dkgContext, type DkgParams, type DkgRound1State } from './dkgParams.ts';
import { encodeDkgRound1 } from './dkgPackages.ts';
import { proveKnowledge } from './proofOfKnowledge.ts';

export type DkgPart1Result = { state: DkgRound1State; broadcast: Uint8Array };

export function dkgPart1(params: DkgParams, rng?: Rng): DkgPart1Result {
  const ctx = dkgContext(params);
  const coefficients = randomPolynomial(randomScalar(rng), params.threshold, rng);
  const commitment = commitPolynomial(coefficients);
  const proof = proveKnowledge(ctx.session, ctx.self, coefficients[0]!, rng, commitment[0]);
  const broadcast = encodeDkgRound1(ctx.session, ctx.self, { commitment, proof });
  return { state: { step: 'dkg-round1', ctx, coefficients, commitment, ownPackage: broadcast, consumed: false }, broadcast };
}

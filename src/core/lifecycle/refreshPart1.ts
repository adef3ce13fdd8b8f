/** Refresh round 1: sample a zero-constant polynomial of degree t−1, broadcast its t−1 commitments. */
import type { Rng } from '../curve.ts';
import { commitPolynomial, randomPolynomial } from '../polynomial.ts';
import { refreshContext, type RefreshParams, type RefreshRound1State } from './refreshParams.ts';
import { encodeRefreshRound1 } from './refreshPackages.ts';

export type RefreshPart1Result = { state: RefreshRound1State; broadcast: Uint8Array };

export function refreshPart1(params: RefreshParams, rng?: Rng): RefreshPart1Result {
  const ctx = refreshContext(params);
  const coefficients = randomPolynomial(0n, ctx.t, rng).slice(1);
  // The constant term's commitment is the identity; like ZF it is stripped from the wire.
  const commitment = commitPolynomial(coefficients);
  const broadcast = encodeRefreshRound1(ctx.session, ctx.self, commitment);
  return { state: { step: 'refresh-round1', ctx, coefficients, commitment, ownPackage: broadcast, consumed: false }, broadcast };
}

/**
 * Refresh round 2: check every round-1 broadcast (sender, session, exactly t−1 commitments), then
 * send each other participant f_self(j) with this device's echo of all round-1 packages.
 */
import { CairnError } from '../errors.ts';
import type { Point } from '../curve.ts';
import { identifierToScalar, type Identifier } from '../identifier.ts';
import { evaluatePolynomial } from '../polynomial.ts';
import { broadcastDigest, checkSenders, consume } from './lifecycleSession.ts';
import type { RefreshRound1State, RefreshRound2State } from './refreshParams.ts';
import { decodeRefreshRound1, encodeRefreshRound2 } from './refreshPackages.ts';

export type RefreshPart2Result = { state: RefreshRound2State; outgoing: Map<Identifier, Uint8Array> };

/** Evaluates a zero-constant polynomial given by its coefficients a_1..a_{t−1}. */
export const evaluateZeroConstant = (coefficients: readonly bigint[], id: Identifier): bigint =>
  evaluatePolynomial([0n, ...coefficients], identifierToScalar(id));

export function refreshPart2(state: RefreshRound1State, round1: ReadonlyMap<Identifier, Uint8Array>): RefreshPart2Result {
  consume(state, 'This refresh round-1 state');
  const { ctx } = state;
  checkSenders(round1, ctx.others, 'Refresh round-1 package');
  const commitments = new Map<Identifier, readonly Point[]>([[ctx.self, state.commitment]]);
  const digests = new Map<Identifier, string>([[ctx.self, broadcastDigest(state.ownPackage)]]);
  for (const from of ctx.others) {
    const bytes = round1.get(from)!;
    const commitment = decodeRefreshRound1(bytes, ctx.session, from);
    // A longer vector would silently raise the threshold, a shorter one lower it (Trail of Bits 2024).
    if (commitment.length !== ctx.t - 1)
      throw new CairnError('BAD_COMMITMENT_LENGTH', `Refresh commitment has ${commitment.length} entries, expected t−1 = ${ctx.t - 1}`, { culprits: [from] });
    commitments.set(from, commitment);
    digests.set(from, broadcastDigest(bytes));
  }
  const echo = ctx.roster.identifiers.map((id) => [id, digests.get(id)!] as const);
  const outgoing = new Map<Identifier, Uint8Array>();
  for (const to of ctx.others)
    outgoing.set(to, encodeRefreshRound2(ctx.session, ctx.self, { recipient: to, share: evaluateZeroConstant(state.coefficients, to), echo }));
  const ownShare = evaluateZeroConstant(state.coefficients, ctx.self);
  state.consumed = true;
  state.coefficients.fill(0n);
  return { state: { step: 'refresh-round2', ctx, ownShare, commitments, echo, consumed: false }, outgoing };
}

/**
 * DKG round 2: check every round-1 broadcast (sender, session, commitment length = t, proof of
 * knowledge), then evaluate the own polynomial at each other guardian's identifier. Each outgoing
 * share also carries this device's digest of every round-1 package (echo), so an equivocating
 * broadcaster is caught in round 3 before anyone accepts a key.
 */
import { CairnError } from '../errors.ts';
import type { Point } from '../curve.ts';
import { identifierToScalar, type Identifier } from '../identifier.ts';
import { evaluatePolynomial } from '../polynomial.ts';
import { checkSenders, consume, packageDigest, type DkgRound1State, type DkgRound2State } from './dkgParams.ts';
import { decodeDkgRound1, encodeDkgRound2 } from './dkgPackages.ts';
import { verifyKnowledge, verifyKnowledgeBatch } from './proofOfKnowledge.ts';

export type DkgPart2Result = { state: DkgRound2State; outgoing: Map<Identifier, Uint8Array> };

export function dkgPart2(state: DkgRound1State, round1: ReadonlyMap<Identifier, Uint8Array>): DkgPart2Result {
  consume(state, 'This DKG round-1 state');
  const { ctx } = state;
  checkSenders(round1, ctx.others, 'Round-1 package');
  const t = ctx.params.threshold;
  const commitments = new Map<Identifier, readonly Point[]>([[ctx.self, state.commitment]]);
  const echo = new Map<Identifier, string>([[ctx.self, packageDigest(state.ownPackage)]]);
  const bodies = ctx.others.map((from) => {
    const bytes = round1.get(from)!;
    const body = decodeDkgRound1(bytes, ctx.session, from);
    if (body.commitment.length !== t)
      throw new CairnError('BAD_COMMITMENT_LENGTH', `Commitment vector has ${body.commitment.length} entries, expected t = ${t}`, { culprits: [from] });
    commitments.set(from, body.commitment);
    echo.set(from, packageDigest(bytes));
    return { id: from, publicKey: body.commitment[0]!, proof: body.proof };
  });
  if (!verifyKnowledgeBatch(ctx.session, bodies)) {
    const culprits = bodies.filter((b) => !verifyKnowledge(ctx.session, b.id, b.publicKey, b.proof)).map((b) => b.id);
    throw new CairnError('BAD_PROOF_OF_KNOWLEDGE', 'Proof of knowledge does not verify', { culprits });
  }
  const echoList = ctx.roster.identifiers.map((id) => [id, echo.get(id)!] as [Identifier, string]);
  const outgoing = new Map<Identifier, Uint8Array>();
  for (const to of ctx.others) {
    const share = evaluatePolynomial(state.coefficients, identifierToScalar(to));
    outgoing.set(to, encodeDkgRound2(ctx.session, ctx.self, { recipient: to, share, echo: echoList }));
  }
  const ownShare = evaluatePolynomial(state.coefficients, identifierToScalar(ctx.self));
  // Only now, with every check passed, is the round-1 state spent; its coefficients are wiped.
  state.consumed = true;
  state.coefficients.fill(0n);
  return { state: { step: 'dkg-round2', ctx, ownShare, commitments, echo, consumed: false }, outgoing };
}

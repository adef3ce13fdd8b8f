/**
 * DKG round 3: check every received share against its sender's commitment (Feldman) and every
 * sender's echo of the round-1 packages, then sum into this device's key package.
 */
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { CairnError, shortId } from '../errors.ts';
import { Fn, Point } from '../curve.ts';
import { identifierToScalar, type Identifier } from '../identifier.ts';
import { makePublicPackage, type KeyPackage, type PublicPackage } from '../keyPackage.ts';
import { addCommitments, evaluateCommitment, shareMatchesCommitment, shareMatchesImage } from '../polynomial.ts';
import { checkSenders, consume, type DkgRound2State } from './dkgParams.ts';
import { decodeDkgRound2 } from './dkgPackages.ts';

export type DkgPart3Result = { keyPackage: KeyPackage; publicPackage: PublicPackage };

export function dkgPart3(state: DkgRound2State, round2: ReadonlyMap<Identifier, Uint8Array>): DkgPart3Result {
  consume(state, 'This DKG round-2 state');
  const { ctx } = state;
  checkSenders(round2, ctx.others, 'Round-2 share');
  const received = new Map<Identifier, bigint>();
  for (const from of ctx.others) {
    const body = decodeDkgRound2(round2.get(from)!, ctx.session, from);
    if (body.recipient !== ctx.self) throw new CairnError('WRONG_SESSION', 'Share addressed to another guardian', { culprits: [from] });
    checkEcho(state, from, body.echo);
    received.set(from, body.share);
  }
  const commitment = addCommitments(ctx.roster.identifiers.map((id) => state.commitments.get(id)!));
  const share = [...received.values()].reduce((a, b) => Fn.add(a, b), state.ownShare);
  // Batch Feldman check: the summed share against the summed commitment. Only if it fails is every
  // share checked on its own, to name the senders (the sum can't hide a bad share that matters:
  // if the sum is consistent, so is the resulting key share). The evaluated commitment is this
  // device's verifying share, so the check is also the key package's share-matches-key check.
  const ownVerifyingShare = evaluateCommitment(commitment, identifierToScalar(ctx.self));
  if (!shareMatchesImage(share, ownVerifyingShare)) {
    const culprits = ctx.others.filter((from) => !shareMatchesCommitment(received.get(from)!, state.commitments.get(from)!, ctx.self));
    throw new CairnError('BAD_SHARE', 'Secret share does not match the sender’s commitments (Feldman check)', { culprits });
  }
  // One shared inversion makes the group commitment and this verifying share affine: the on-chain
  // check and every encoding below then need no inversion of their own.
  const [ownAffine, ...groupCommitment] = normalizeZ(Point, [ownVerifyingShare, ...commitment]);
  assertUsableOnChain(groupCommitment[0]!);
  const publicPackage = makePublicPackage({
    walletId: ctx.params.walletId,
    epoch: 0,
    threshold: ctx.params.threshold,
    deviceKeys: ctx.roster.deviceKeys,
    commitment: groupCommitment,
    evaluated: new Map([[ctx.self, ownAffine!]]),
  });
  // share·G equals this verifying share (checked above): what checkKeyPackage would check again.
  const keyPackage: KeyPackage = { identifier: ctx.self, signingShare: Fn.toBytes(share), public: publicPackage };
  state.consumed = true;
  return { keyPackage, publicPackage };
}

function checkEcho(state: DkgRound2State, from: Identifier, echo: ReadonlyArray<[Identifier, string]>): void {
  const ids = state.ctx.roster.identifiers;
  if (echo.length !== ids.length || echo.some(([id], i) => id !== ids[i]))
    throw new CairnError('MALFORMED', 'Echo does not list the roster', { culprits: [from] });
  for (const [id, digest] of echo) {
    if (digest === state.echo.get(id)) continue;
    // Either `id` sent different commitments to different guardians, or `from` misreports them;
    // the protocol layer holds both signed envelopes and can tell which.
    throw new CairnError('INCONSISTENT_COMMITMENTS', `Guardians saw different round-1 commitments from ${shortId(id)}`, {
      culprits: id === from ? [id] : [id, from],
      details: [`Reported by ${shortId(from)}`],
    });
  }
}

/** The vault verifies with the ecrecover trick, which needs 0 < x(PK) < n (fails with prob. ~2^-128). */
function assertUsableOnChain(groupKey: Point): void {
  const { x } = groupKey.toAffine();
  if (x === 0n || x >= Fn.ORDER) throw new CairnError('BAD_PARAMETERS', 'This group key cannot be verified on chain; run the wallet creation again');
}

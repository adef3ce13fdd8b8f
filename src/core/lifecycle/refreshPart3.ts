/**
 * Refresh round 3: check each share against its sender's commitments (batched: one check of the
 * sum, individual checks only to name culprits) and each sender's echo, then stage the next epoch:
 * share′ = share + Σ f_j(self), commitments′ = commitments + (0, Σ C_j). The group key is unchanged
 * and every verifying share is re-derived from commitments′.
 */
import { CairnError } from '../errors.ts';
import { Fn, Point } from '../curve.ts';
import type { Identifier } from '../identifier.ts';
import { makePublicPackage, type KeyPackage } from '../keyPackage.ts';
import { addCommitments, shareMatchesCommitment } from '../polynomial.ts';
import { assertFullCommitment, checkEcho, checkSenders, consume } from './lifecycleSession.ts';
import type { RefreshRound2State } from './refreshParams.ts';
import { decodeRefreshRound2 } from './refreshPackages.ts';
import { makeStagedEpoch, type StagedEpoch } from './stagedEpoch.ts';

export type RefreshPart3Result = { staged: StagedEpoch };

export function refreshPart3(state: RefreshRound2State, round2: ReadonlyMap<Identifier, Uint8Array>): RefreshPart3Result {
  consume(state, 'This refresh round-2 state');
  const { ctx } = state;
  checkSenders(round2, ctx.others, 'Refresh share');
  const received = new Map<Identifier, bigint>();
  for (const from of ctx.others) {
    const body = decodeRefreshRound2(round2.get(from)!, ctx.session, from);
    if (body.recipient !== ctx.self) throw new CairnError('WRONG_SESSION', 'Refresh share addressed to another guardian', { culprits: [from] });
    checkEcho(state.echo, body.echo, from);
    received.set(from, body.share);
  }
  const delta = [...received.values()].reduce((a, b) => Fn.add(a, b), state.ownShare);
  const refresh = [Point.ZERO, ...addCommitments(ctx.roster.identifiers.map((id) => state.commitments.get(id)!))];
  const commitment = ctx.previous.commitments.map((c, k) => Point.fromBytes(c).add(refresh[k]!));
  if (!commitment[0]!.equals(Point.fromBytes(ctx.previous.commitments[0]!)))
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The refresh would change the group key');
  assertFullCommitment(commitment);
  const publicPackage = makePublicPackage({
    walletId: ctx.previous.walletId,
    epoch: ctx.previous.epoch + 1,
    threshold: ctx.t,
    deviceKeys: ctx.roster.deviceKeys,
    commitment,
  });
  const share = Fn.add(Fn.fromBytes(ctx.current.signingShare), delta);
  // Batch Feldman check: the old share matches the old commitments, so the new share matches its
  // new verifying share iff Σ f_j(self) matches Σ C_j. Only on failure is each sender checked.
  const expected = publicPackage.verifyingShares[ctx.self]!;
  if (share === 0n || !Point.BASE.multiply(share).equals(Point.fromBytes(expected))) {
    const culprits = ctx.others.filter((from) => !shareMatchesCommitment(received.get(from)!, [Point.ZERO, ...state.commitments.get(from)!], ctx.self));
    throw new CairnError('BAD_SHARE', 'Refresh share does not match the sender’s commitments (Feldman check)', { culprits });
  }
  const key: KeyPackage = { identifier: ctx.self, signingShare: Fn.toBytes(share), public: publicPackage };
  state.consumed = true;
  return { staged: makeStagedEpoch({ protocol: 'refresh', session: ctx.session, key, previous: ctx.previous, echo: state.echo }) };
}

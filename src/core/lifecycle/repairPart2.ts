/**
 * Repair step 2 (helper j): check every received delta against its sender's commitment (batched:
 * the sum first, each delta only to name a culprit), sum them into σ_j and send it to the target
 * with this helper's echo of every helper's delta commitments.
 */
import { CairnError } from '../errors.ts';
import { Fn, Point } from '../curve.ts';
import type { Identifier } from '../identifier.ts';
import { checkSenders, consume } from './lifecycleSession.ts';
import type { RepairRound1State } from './repairParams.ts';
import { decodeRepairDelta, deltaCommitmentsDigest, encodeRepairSigma } from './repairPackages.ts';

export type RepairPart2Result = { sigma: Uint8Array };

export function repairPart2(state: RepairRound1State, deltas: ReadonlyMap<Identifier, Uint8Array>): RepairPart2Result {
  consume(state, 'This repair round-1 state');
  const { ctx, self } = state;
  const helpers = ctx.helpers.identifiers;
  const others = helpers.filter((id) => id !== self);
  checkSenders(deltas, others, 'Repair delta');
  const mine = helpers.indexOf(self);
  const bodies = new Map(helpers.map((id) => [id, { commitments: state.commitments as Point[], delta: state.ownDelta }]));
  for (const from of others) {
    const body = decodeRepairDelta(deltas.get(from)!, ctx.session, from, { helpers: helpers.length, withDelta: true });
    if (body.recipient !== self) throw new CairnError('WRONG_SESSION', 'Repair delta addressed to another guardian', { culprits: [from] });
    bodies.set(from, { commitments: body.commitments, delta: body.delta! });
  }
  const sigma = [...bodies.values()].reduce((acc, b) => Fn.add(acc, b.delta), 0n);
  const expected = [...bodies.values()].reduce((acc, b) => acc.add(b.commitments[mine]!), Point.ZERO);
  if (!(sigma === 0n ? Point.ZERO : Point.BASE.multiply(sigma)).equals(expected)) {
    const culprits = others.filter((from) => {
      const b = bodies.get(from)!;
      return b.delta === 0n || !Point.BASE.multiply(b.delta).equals(b.commitments[mine]!);
    });
    throw new CairnError('BAD_SHARE', 'Repair delta does not match the sender’s commitment', { culprits });
  }
  const echo = helpers.map((id) => [id, deltaCommitmentsDigest(ctx.session, id, bodies.get(id)!.commitments)] as const);
  state.consumed = true;
  state.ownDelta = 0n;
  return { sigma: encodeRepairSigma(ctx.session, self, { recipient: ctx.target, sigma, echo }) };
}

/**
 * Repair step 1 (helper i): ζ_i = λ_i^H(target)·s_i split into random additive deltas, one per
 * helper, so ζ_i itself is never revealed (bip-frost-dkg #7). Sends each other helper its delta and
 * every helper's delta commitment; sends the target the commitments only.
 */
import { CairnError } from '../errors.ts';
import { Fn, Point, randomScalar, type Rng } from '../curve.ts';
import type { Identifier } from '../identifier.ts';
import type { KeyPackage } from '../keyPackage.ts';
import { assertSamePublic } from './lifecycleSession.ts';
import { repairContext, type RepairParams, type RepairRound1State } from './repairParams.ts';
import { encodeRepairDelta } from './repairPackages.ts';

export type RepairPart1Result = { state: RepairRound1State; outgoing: Map<Identifier, Uint8Array> };

export function repairPart1(params: RepairParams, key: KeyPackage, rng?: Rng): RepairPart1Result {
  const ctx = repairContext(params);
  assertSamePublic(key.public, ctx.pub);
  const self = key.identifier;
  const helpers = ctx.helpers.identifiers;
  if (!helpers.includes(self)) throw new CairnError('BAD_PARAMETERS', 'This device is not a helper of this repair');
  const zeta = Fn.mul(ctx.lambdas.get(self)!, Fn.fromBytes(key.signingShare));
  const deltas = helpers.slice(1).map(() => randomScalar(rng));
  deltas.unshift(
    Fn.sub(
      zeta,
      deltas.reduce((a, b) => Fn.add(a, b), 0n),
    ),
  );
  const commitments = deltas.map((d) => (d === 0n ? Point.ZERO : Point.BASE.multiply(d)));
  if (commitments.some((c) => c.is0())) throw new CairnError('BAD_PARAMETERS', 'Degenerate delta; run the repair again'); // probability ~2^-256
  const outgoing = new Map<Identifier, Uint8Array>();
  helpers.forEach((to, k) => {
    if (to !== self) outgoing.set(to, encodeRepairDelta(ctx.session, self, { recipient: to, commitments, delta: deltas[k]! }));
  });
  outgoing.set(ctx.target, encodeRepairDelta(ctx.session, self, { recipient: ctx.target, commitments }));
  const ownDelta = deltas[helpers.indexOf(self)]!;
  deltas.fill(0n);
  return { state: { step: 'repair-round1', ctx, self, ownDelta, commitments, consumed: false }, outgoing };
}

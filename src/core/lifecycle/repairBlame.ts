/**
 * Names the liar when a recovered share fails its check. Everything used here is public: each
 * helper's delta commitments D_{i→j} = δ_{i→j}·G, the sums σ_j, and the verifying shares.
 *   1. a helper's echo of D_i differs from the D_i the target got → helper i showed different
 *      commitments (or helper j misreports them): both named;
 *   2. Σ_j D_{i→j} ≠ λ_i·VerifyingShare_i → helper i dealt deltas that don't add up to ζ_i;
 *   3. σ_j·G ≠ Σ_i D_{i→j} → helper j sent a σ_j that isn't the sum of its deltas.
 * (Helper j already checked δ_{i→j}·G = D_{i→j} in step 2, so an honest j never passes on a bad delta.)
 */
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { CairnError } from '../errors.ts';
import { Point } from '../curve.ts';
import type { Identifier } from '../identifier.ts';
import type { Echo } from './lifecycleSession.ts';
import type { RepairContext } from './repairParams.ts';

export type RecoveryTranscript = {
  /** helper i → its delta commitments D_{i→·} as the target received them. */
  commitments: ReadonlyMap<Identifier, readonly Point[]>;
  /** helper i → digest of those commitments. */
  digests: ReadonlyMap<Identifier, string>;
  /** helper j → σ_j and j's echo. */
  sigmas: ReadonlyMap<Identifier, { sigma: bigint; echo: Echo }>;
};

export function blameRepair(ctx: RepairContext, tr: RecoveryTranscript): CairnError {
  const helpers = ctx.helpers.identifiers;
  const equivocations = new Set<Identifier>();
  for (const j of helpers) for (const [i, digest] of tr.sigmas.get(j)!.echo) if (digest !== tr.digests.get(i)) equivocations.add(i).add(j);
  if (equivocations.size) return new CairnError('INCONSISTENT_COMMITMENTS', 'Helpers saw different delta commitments', { culprits: [...equivocations].sort() });
  const badDealers = helpers.filter((i) => {
    const sum = tr.commitments.get(i)!.reduce((acc, d) => acc.add(d), Point.ZERO);
    const zetaG = mulAddUnsafe(Point, [Point.fromBytes(ctx.pub.verifyingShares[i]!)], [ctx.lambdas.get(i)!]);
    return !sum.equals(zetaG);
  });
  if (badDealers.length) return new CairnError('BAD_SHARE', 'Repair deltas do not add up to the helper’s Lagrange part', { culprits: badDealers });
  const badSigmas = helpers.filter((j, k) => {
    const sigma = tr.sigmas.get(j)!.sigma;
    const expected = helpers.reduce((acc, i) => acc.add(tr.commitments.get(i)![k]!), Point.ZERO);
    return !(sigma === 0n ? Point.ZERO : Point.BASE.multiply(sigma)).equals(expected);
  });
  if (badSigmas.length) return new CairnError('BAD_SHARE', 'Repair sum σ is not the sum of the helper’s deltas', { culprits: badSigmas });
  return new CairnError('BAD_SHARE', 'The recovered share does not match its verifying share');
}

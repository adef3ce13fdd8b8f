/**
 * Repair step 3 (the target): sum the σ_j and check the result against the verifying share the
 * target must have — the stored one (repair) or the group commitments evaluated at its new
 * identifier (enroll) — before accepting anything. On failure the helper at fault is named.
 * Repair returns a key package of the current epoch; enroll returns a staged next epoch that every
 * holder must confirm before promotion.
 */
import { CairnError } from '../errors.ts';
import { Fn, Point } from '../curve.ts';
import { identifierOf, identifierToScalar, type DeviceKey, type Identifier } from '../identifier.ts';
import { checkKeyPackage, type KeyPackage } from '../keyPackage.ts';
import { evaluateCommitment } from '../polynomial.ts';
import { checkSenders, type Echo } from './lifecycleSession.ts';
import { blameRepair } from './repairBlame.ts';
import { enrolledPublicPackage, repairContext, type RepairParams } from './repairParams.ts';
import { decodeRepairDelta, decodeRepairSigma, deltaCommitmentsDigest } from './repairPackages.ts';
import { makeStagedEpoch, type StagedEpoch } from './stagedEpoch.ts';

export type RepairRecoverResult = { mode: 'repair'; keyPackage: KeyPackage } | { mode: 'enroll'; staged: StagedEpoch };

/**
 * @param commitments helper → the delta-commitment package it sent the target (step 1).
 * @param sigmas helper → its σ package (step 2).
 */
export function repairRecover(
  params: RepairParams,
  self: DeviceKey,
  commitments: ReadonlyMap<Identifier, Uint8Array>,
  sigmas: ReadonlyMap<Identifier, Uint8Array>,
): RepairRecoverResult {
  const ctx = repairContext(params);
  if (identifierOf(self) !== ctx.target) throw new CairnError('BAD_PARAMETERS', 'This device is not the one being repaired');
  const helpers = ctx.helpers.identifiers;
  checkSenders(commitments, helpers, 'Repair commitment');
  checkSenders(sigmas, helpers, 'Repair sum');
  const dealt = new Map<Identifier, Point[]>();
  const digests = new Map<Identifier, string>();
  const sums = new Map<Identifier, { sigma: bigint; echo: Echo }>();
  for (const from of helpers) {
    const d = decodeRepairDelta(commitments.get(from)!, ctx.session, from, { helpers: helpers.length, withDelta: false });
    const s = decodeRepairSigma(sigmas.get(from)!, ctx.session, from);
    if (d.recipient !== ctx.target || s.recipient !== ctx.target)
      throw new CairnError('WRONG_SESSION', 'Repair package addressed to another device', { culprits: [from] });
    if (s.echo.length !== helpers.length || s.echo.some(([id], k) => id !== helpers[k]))
      throw new CairnError('MALFORMED', 'Echo does not list the helpers', { culprits: [from] });
    dealt.set(from, d.commitments);
    digests.set(from, deltaCommitmentsDigest(ctx.session, from, d.commitments));
    sums.set(from, { sigma: s.sigma, echo: s.echo });
  }
  const share = [...sums.values()].reduce((acc, s) => Fn.add(acc, s.sigma), 0n);
  const expected =
    ctx.mode === 'repair'
      ? Point.fromBytes(ctx.pub.verifyingShares[ctx.target]!)
      : evaluateCommitment(
          ctx.pub.commitments.map((c) => Point.fromBytes(c)),
          identifierToScalar(ctx.target),
        );
  if (share === 0n || !Point.BASE.multiply(share).equals(expected)) throw blameRepair(ctx, { commitments: dealt, digests, sigmas: sums });
  if (ctx.mode === 'repair')
    return { mode: 'repair', keyPackage: checkKeyPackage({ identifier: ctx.target, signingShare: Fn.toBytes(share), public: ctx.pub }) };
  const key = checkKeyPackage({ identifier: ctx.target, signingShare: Fn.toBytes(share), public: enrolledPublicPackage(ctx) });
  return { mode: 'enroll', staged: makeStagedEpoch({ protocol: 'enroll', session: ctx.session, key, previous: ctx.pub, echo: [] }) };
}

/**
 * Repair and enrollment (Laing–Stinson RTS, eprint 2017/1155; ZF keys/repairable.rs). A set H of
 * at least t helpers restores the share f(x) of a "target" without anyone learning more than
 * public points:
 *   1. helper i computes ζ_i = λ_i^H(x)·s_i (its Lagrange part of f(x)) and splits it into random
 *      additive deltas δ_{i→j}, one per helper; it publishes D_{i→j} = δ_{i→j}·G (its "delta
 *      commitments") to the helpers and the target, and sends δ_{i→j} only to helper j;
 *   2. helper j checks each δ_{i→j} against D_{i→j}, sums them into σ_j and sends σ_j to the target
 *      with its echo of every helper's delta commitments;
 *   3. the target sums the σ_j and accepts the share only if it matches the verifying share it must
 *      have (repair: the stored one; enroll: the group commitments evaluated at its identifier).
 * 'repair' restores the share of an existing identifier (the device kept its identity key but lost
 * its share) in the same epoch. 'enroll' adds a new device key to the roster at epoch + 1: the
 * share lies on the same polynomial, so group key, commitments and threshold are unchanged, and
 * every holder (old ones via stageEnrollment) stages and confirms the new public package.
 */
import { CairnError } from '../errors.ts';
import { MAX_GUARDIANS, identifierOf, identifierToScalar, type DeviceKey, type Identifier, type Roster } from '../identifier.ts';
import { makePublicPackage, type PublicPackage } from '../keyPackage.ts';
import { Point } from '../curve.ts';
import { lagrangeCoefficient } from '../polynomial.ts';
import { lifecycleSession, subRoster, writeRoster } from './lifecycleSession.ts';

export type RepairMode = 'repair' | 'enroll';

export type RepairParams = {
  /** The current public package. */
  public: PublicPackage;
  /** Device keys of the helpers: at least t current holders. */
  helpers: readonly DeviceKey[];
  /** The recovering device: a holder's own key (repair) or a new device (enroll). */
  target: DeviceKey;
  mode: RepairMode;
  /** The log entry that asked for this repair. */
  requestId: Uint8Array;
};

export type RepairContext = {
  readonly pub: PublicPackage;
  readonly mode: RepairMode;
  readonly helpers: Roster;
  readonly target: Identifier;
  readonly targetKey: DeviceKey;
  /** λ_i^H evaluated at the target's identifier. */
  readonly lambdas: ReadonlyMap<Identifier, bigint>;
  readonly session: Uint8Array;
};

export function repairContext(p: RepairParams): RepairContext {
  const pub = p.public;
  if (p.mode !== 'repair' && p.mode !== 'enroll') throw new CairnError('BAD_PARAMETERS', 'A repair mode is repair or enroll');
  const helpers = subRoster(p.helpers, pub, 'Repair helper');
  if (helpers.identifiers.length < pub.threshold)
    throw new CairnError('BAD_PARAMETERS', `A repair needs at least t = ${pub.threshold} helpers, not ${helpers.identifiers.length}`);
  const target = identifierOf(p.target);
  const known = pub.roster.identifiers.includes(target);
  if (p.mode === 'repair' && !known) throw new CairnError('BAD_PARAMETERS', 'Only a guardian of this epoch can have its share repaired; enroll a new device');
  if (p.mode === 'enroll' && known) throw new CairnError('BAD_PARAMETERS', 'This device is already a guardian; repair its share instead');
  if (helpers.identifiers.includes(target)) throw new CairnError('BAD_PARAMETERS', 'The recovering device can’t help itself');
  if (p.mode === 'enroll' && pub.roster.identifiers.length >= MAX_GUARDIANS)
    throw new CairnError('BAD_PARAMETERS', `A wallet has at most ${MAX_GUARDIANS} guardians`);
  const at = identifierToScalar(target);
  const lambdas = new Map(helpers.identifiers.map((id) => [id, lagrangeCoefficient(id, helpers.identifiers, at)]));
  const session = lifecycleSession(
    { walletId: pub.walletId, protocol: 'repair', epoch: pub.epoch, participants: [...helpers.deviceKeys, p.target], requestId: p.requestId },
    pub,
    (w) => void writeRoster(w.u8(p.mode === 'repair' ? 1 : 2).bytes(p.target), helpers),
  );
  return { pub, mode: p.mode, helpers, target, targetKey: p.target, lambdas, session };
}

/** The public package after enrolling the target: same commitments and t, one more holder, epoch + 1. */
export function enrolledPublicPackage(ctx: RepairContext): PublicPackage {
  return makePublicPackage({
    walletId: ctx.pub.walletId,
    epoch: ctx.pub.epoch + 1,
    threshold: ctx.pub.threshold,
    deviceKeys: [...ctx.pub.roster.deviceKeys, ctx.targetKey],
    commitment: ctx.pub.commitments.map((c) => Point.fromBytes(c)),
  });
}

export type RepairRound1State = {
  readonly step: 'repair-round1';
  readonly ctx: RepairContext;
  readonly self: Identifier;
  /** δ_{self→self}. Wiped when consumed. */
  ownDelta: bigint;
  /** D_{self→j} for every helper j (sorted). */
  readonly commitments: readonly Point[];
  consumed: boolean;
};

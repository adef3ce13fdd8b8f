/**
 * Reshare (Desmedt–Jajodia 1997, Wong–Wang–Wing 2002): a chosen set S of at least t old holders
 * ("dealers") each share λ_i^S·s_i with a fresh polynomial g_i of degree t′−1 to the new holders;
 * new holder j sets s′_j = Σ_{i∈S} g_i(j) and C′ = Σ_i C_i, and checks C′_0 = the group key (each
 * C_{i,0} = λ_i^S·VerifyingShare_i; checked one by one only to name a culprit). Old and new rosters
 * may overlap; a new holder that held nothing before needs only the old public package, given here.
 */
import { CairnError } from '../errors.ts';
import { lagrangeCoefficient } from '../polynomial.ts';
import { makeRoster, type DeviceKey, type Identifier, type Roster } from '../identifier.ts';
import type { PublicPackage } from '../keyPackage.ts';
import { lifecycleSession, subRoster, unionOfKeys, writeRoster } from './lifecycleSession.ts';

export type ReshareParams = {
  /** The current public package (the epoch being replaced). */
  previous: PublicPackage;
  /** Device keys of the dealers: at least t old holders. */
  dealers: readonly DeviceKey[];
  /** Device keys of the new holders (n′ of them). */
  newDeviceKeys: readonly DeviceKey[];
  /** The new threshold t′ (2 ≤ t′ ≤ n′). */
  newThreshold: number;
  /** The log entry that asked for this reshare. */
  requestId: Uint8Array;
};

export type ReshareContext = {
  readonly previous: PublicPackage;
  readonly dealers: Roster;
  readonly newRoster: Roster;
  readonly newThreshold: number;
  /** λ_i^S of each dealer over S, at 0. */
  readonly lambdas: ReadonlyMap<Identifier, bigint>;
  readonly session: Uint8Array;
};

export function reshareContext(p: ReshareParams): ReshareContext {
  const previous = p.previous;
  const dealers = subRoster(p.dealers, previous, 'Reshare dealer');
  if (dealers.identifiers.length < previous.threshold)
    throw new CairnError('BAD_PARAMETERS', `A reshare needs at least t = ${previous.threshold} dealers, not ${dealers.identifiers.length}`);
  const newRoster = makeRoster(p.newDeviceKeys);
  const n = newRoster.identifiers.length;
  if (!Number.isInteger(p.newThreshold) || p.newThreshold < 2 || p.newThreshold > n)
    throw new CairnError('BAD_PARAMETERS', `The new threshold must be between 2 and ${n}, not ${p.newThreshold}`);
  const session = lifecycleSession(
    {
      walletId: previous.walletId,
      protocol: 'reshare',
      epoch: previous.epoch,
      participants: unionOfKeys(dealers.deviceKeys, newRoster.deviceKeys),
      requestId: p.requestId,
    },
    previous,
    (w) => {
      writeRoster(w.u16(p.newThreshold), dealers);
      writeRoster(w, newRoster);
    },
  );
  const lambdas = new Map(dealers.identifiers.map((id) => [id, lagrangeCoefficient(id, dealers.identifiers)]));
  return { previous, dealers, newRoster, newThreshold: p.newThreshold, lambdas, session };
}

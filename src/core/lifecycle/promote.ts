/**
 * Promotion: the staged epoch becomes current once every new holder confirmed it. Pure — it
 * returns the new current key package and the pairwise ECDSA setups to re-derive; the device layer
 * stores the new record and only then deletes the old one.
 */
import { CairnError } from '../errors.ts';
import type { Identifier } from '../identifier.ts';
import type { KeyPackage } from '../keyPackage.ts';
import { afterPromotion, type EcdsaRederive } from './afterPromotion.ts';
import { checkConfirmations } from './checkConfirmations.ts';
import { assertSamePublic } from './lifecycleSession.ts';
import type { StagedEpoch } from './stagedEpoch.ts';

export type PromoteResult = { current: KeyPackage; rederive: EcdsaRederive };

/**
 * @param current this device's current key package, or `undefined` for a device that joins in
 *   this epoch (a new reshare holder or an enrolled device).
 * @param confirmations one `epochConfirmation` package from every other new holder.
 */
export function promote(current: KeyPackage | undefined, staged: StagedEpoch, confirmations: ReadonlyMap<Identifier, Uint8Array>): PromoteResult {
  if (current) {
    if (current.identifier !== staged.key.identifier) throw new CairnError('BAD_PARAMETERS', 'The staged epoch belongs to another guardian');
    assertSamePublic(current.public, staged.previous);
  } else if (staged.previous.roster.identifiers.includes(staged.key.identifier)) {
    throw new CairnError('BAD_PARAMETERS', 'This guardian holds a share of the previous epoch: pass it as the current key package');
  }
  checkConfirmations(staged, confirmations);
  return { current: staged.key, rederive: afterPromotion(staged.previous, staged.key.public) };
}

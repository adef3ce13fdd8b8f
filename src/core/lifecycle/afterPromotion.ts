/**
 * Which DKLs23 pairwise setups (src/core/ecdsa) a promotion invalidates. A setup holds no key
 * share, but it is long-lived secret state on both devices: after a refresh or reshare — the
 * proactive-security events, which assume device state may have leaked — every pair runs a fresh
 * setup. After an enrollment the existing holders' shares are unchanged, so only the pairs with
 * the new holder are needed. Pairs with a holder who left are discarded.
 *
 * Rule: a holder "changed" if it is new or the group commitments changed (refresh/reshare change
 * every share). A pair needs a fresh setup when either member changed; an old pair is discarded
 * when either member changed or left.
 */
import { bytesToHex } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';
import type { PublicPackage } from '../keyPackage.ts';

/** An unordered pair, smaller identifier first. */
export type IdentifierPair = readonly [Identifier, Identifier];

export type EcdsaRederive = {
  /** True when any pairwise setup must be run or destroyed. */
  readonly ecdsaSetup: boolean;
  /** Pairs of the new roster that need a fresh pairwise setup before ECDSA signing. */
  readonly pairs: readonly IdentifierPair[];
  /** Pairs of the old roster whose setup must be destroyed (destroyPairwiseSetup). */
  readonly discard: readonly IdentifierPair[];
};

export function afterPromotion(oldPub: PublicPackage, newPub: PublicPackage): EcdsaRederive {
  const sameCommitments =
    oldPub.commitments.length === newPub.commitments.length && oldPub.commitments.every((c, i) => bytesToHex(c) === bytesToHex(newPub.commitments[i]!));
  const oldIds = new Set(oldPub.roster.identifiers);
  const newIds = new Set(newPub.roster.identifiers);
  const changed = (id: Identifier) => !sameCommitments || !oldIds.has(id) || !newIds.has(id);
  const pairs = allPairs(newPub.roster.identifiers).filter(([a, b]) => changed(a) || changed(b));
  const discard = allPairs(oldPub.roster.identifiers).filter(([a, b]) => changed(a) || changed(b));
  return Object.freeze({ ecdsaSetup: pairs.length + discard.length > 0, pairs, discard });
}

function allPairs(ids: readonly Identifier[]): IdentifierPair[] {
  const sorted = [...ids].sort();
  const out: IdentifierPair[] = [];
  for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) out.push([sorted[i]!, sorted[j]!]);
  return out;
}

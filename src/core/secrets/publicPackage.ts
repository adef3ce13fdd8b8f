/**
 * Reads what the vault needs from noble's FROST public package: the group key
 * (`commitments[0]`), the threshold and the verifying shares. Verifying shares always come from
 * here (the wallet's public package), never from what a guardian sends.
 */
import type { FrostPublic } from '@noble/curves/abstract/frost.js';
import { CairnError } from '../errors.ts';
import { decodePoint, parseIdentifier, type Point } from './group.ts';

export type VaultPublic = {
  groupKey: Point;
  groupKeyBytes: Uint8Array;
  threshold: number;
  /** Y_i for a roster member, or undefined for anyone else. */
  verifyingShare(id: string): Point | undefined;
};

export function readPublicPackage(pub: FrostPublic): VaultPublic {
  const t = pub?.signers?.min;
  const n = pub?.signers?.max;
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(n) || t < 1 || t > n) throw new CairnError('BAD_PARAMETERS', 'Public package has an invalid threshold');
  if (!Array.isArray(pub.commitments) || pub.commitments.length !== t)
    throw new CairnError('BAD_COMMITMENT_LENGTH', `Public package must have exactly t = ${t} commitments`);
  const groupKeyBytes = pub.commitments[0]!;
  const groupKey = decodePoint(groupKeyBytes, 'group key', [], 'BAD_PARAMETERS');
  const cache = new Map<string, Point>();
  const shares = pub.verifyingShares ?? {};
  return {
    groupKey,
    groupKeyBytes,
    threshold: t,
    verifyingShare(id) {
      if (!Object.hasOwn(shares, id)) return undefined;
      let p = cache.get(id);
      if (!p) {
        parseIdentifier(id);
        p = decodePoint(shares[id]!, 'verifying share', [id], 'BAD_PARAMETERS');
        cache.set(id, p);
      }
      return p;
    },
  };
}

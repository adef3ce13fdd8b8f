/**
 * Aggregation (RFC 9591 §5.3) with cheater detection: if the aggregate fails to verify, every share
 * is checked against its verifying share (§5.4) and every bad signer is named. Commitments are
 * decoded once and summed with one variable-time multi-scalar multiplication (frostMath.ts).
 */
import { CairnError } from '../errors.ts';
import { Fn, Point, frost } from '../curve.ts';
import type { Identifier } from '../identifier.ts';
import { groupKeyOf, groupKeyPoint, type PublicPackage } from '../keyPackage.ts';
import { collectPackages } from './collectPackages.ts';
import { challenge, groupCommitment, sortCommitments, verifyAggregate, verifySignatureShare, type GroupCommitment } from './frostMath.ts';
import { decodeCommitmentPoints, decodeSignatureShare, encodeSignature } from './frostPackages.ts';
import { assertSignerSet, type SigningSession } from './signingSession.ts';

export function frostAggregate(
  pub: PublicPackage,
  s: SigningSession,
  commitments: ReadonlyMap<Identifier, Uint8Array>,
  shares: ReadonlyMap<Identifier, Uint8Array>,
): Uint8Array {
  if (pub.epoch !== s.epoch) throw new CairnError('WRONG_EPOCH', 'Public package and session are from different epochs');
  assertSignerSet(pub, s.signers);
  const list = collectPackages(commitments, s.signers, 'Nonce commitment', (b, from) => decodeCommitmentPoints(b, s.session, from));
  const z = collectPackages(shares, s.signers, 'Signature share', (b, from) => Fn.fromBytes(decodeSignatureShare(b, s.session, from)));
  const groupKey = groupKeyOf(pub);
  let group: GroupCommitment;
  try {
    group = groupCommitment(groupKey, sortCommitments([...list.values()]), s.digest);
  } catch (err) {
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The commitments of this session give no usable group commitment', { cause: err });
  }
  const c = challenge(group.R, groupKey, s.digest);
  const sum = [...z.values()].reduce((a, b) => Fn.add(a, b), 0n);
  if (verifyAggregate(group.R, sum, groupKeyPoint(pub), c)) return encodeSignature(group.R.toBytes(true), sum);
  const cheaters = s.signers.filter(
    (id) =>
      !verifySignatureShare({ commitment: list.get(id)!, verifyingShare: Point.fromBytes(pub.verifyingShares[id]!), share: z.get(id)!, group, challenge: c }),
  );
  throw new CairnError('BAD_SIGNATURE_SHARE', `${cheaters.length || 'Some'} signature share(s) failed verification`, { culprits: cheaters });
}

/** Verifies a 65-byte RFC 9591 signature over a digest under the group key. */
export function frostVerify(pub: PublicPackage, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    return frost.verify(signature, digest, groupKeyOf(pub));
  } catch {
    return false;
  }
}

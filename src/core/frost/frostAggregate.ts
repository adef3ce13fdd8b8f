/**
 * Aggregation (RFC 9591 §5.3) with cheater detection: if the aggregate fails to verify, every share
 * is checked against its verifying share and every bad signer is named.
 */
import { CairnError } from '../errors.ts';
import { frost } from '../curve.ts';
import type { Identifier } from '../identifier.ts';
import { groupKeyOf, toFrostPublic, type PublicPackage } from '../keyPackage.ts';
import { collectPackages } from './collectPackages.ts';
import { decodeCommitment, decodeSignatureShare } from './frostPackages.ts';
import type { SigningSession } from './signingSession.ts';

export function frostAggregate(
  pub: PublicPackage,
  s: SigningSession,
  commitments: ReadonlyMap<Identifier, Uint8Array>,
  shares: ReadonlyMap<Identifier, Uint8Array>,
): Uint8Array {
  if (pub.epoch !== s.epoch) throw new CairnError('WRONG_EPOCH', 'Public package and session are from different epochs');
  const list = collectPackages(commitments, s.signers, 'Nonce commitment', (b, from) => decodeCommitment(b, s.session, from));
  const z = collectPackages(shares, s.signers, 'Signature share', (b, from) => decodeSignatureShare(b, s.session, from));
  try {
    return frost.aggregate(toFrostPublic(pub, s.signers), [...list.values()], s.digest, Object.fromEntries(z));
  } catch (err) {
    const cheaters = (err as { cheaters?: Identifier[] }).cheaters ?? [];
    throw new CairnError('BAD_SIGNATURE_SHARE', `${cheaters.length || 'Some'} signature share(s) failed verification`, { culprits: cheaters, cause: err });
  }
}

/** Verifies a 65-byte RFC 9591 signature over a digest under the group key. */
export function frostVerify(pub: PublicPackage, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    return frost.verify(signature, digest, groupKeyOf(pub));
  } catch {
    return false;
  }
}

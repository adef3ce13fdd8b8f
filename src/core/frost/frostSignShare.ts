/**
 * FROST round 2 (RFC 9591 §5.2): this device's signature share. Checks that the commitment list
 * is exactly the session's signers and still contains this device's own commitment unchanged,
 * then spends the nonces (zeroed; a second use throws NONCE_REUSED).
 *
 * The share is computed here (frostMath.ts) rather than by noble's `signShare`, which would decode
 * every commitment a second time, recompute the own commitment again and sum the group
 * commitment with full-width scalars; the arithmetic is the RFC's and is replayed against
 * Appendix E.5 through this function (test/core/rfc9591.vector.test.ts).
 */
import { CairnError } from '../errors.ts';
import { Fn } from '../curve.ts';
import { equalBytes } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';
import { groupKeyOf, type KeyPackage } from '../keyPackage.ts';
import { collectPackages } from './collectPackages.ts';
import { challenge, groupCommitment, signatureShare, sortCommitments } from './frostMath.ts';
import { decodeCommitmentPoints, encodeSignatureShare } from './frostPackages.ts';
import type { SigningNonces } from './signingNonces.ts';
import { assertSignerSet, type SigningSession } from './signingSession.ts';

export function frostSignShare(key: KeyPackage, nonces: SigningNonces, s: SigningSession, commitments: ReadonlyMap<Identifier, Uint8Array>): Uint8Array {
  if (nonces.consumed) throw new CairnError('NONCE_REUSED', 'These signing nonces were already used; a new round 1 is needed');
  if (!equalBytes(nonces.session, s.session) || nonces.identifier !== key.identifier)
    throw new CairnError('WRONG_SESSION', 'These nonces belong to another signing session');
  if (key.public.epoch !== s.epoch) throw new CairnError('WRONG_EPOCH', 'Share and session are from different epochs');
  assertSignerSet(key.public, s.signers);
  const list = collectPackages(commitments, s.signers, 'Nonce commitment', (b, from) => decodeCommitmentPoints(b, s.session, from));
  const hidingNonce = Fn.fromBytes(nonces.nonces.hiding);
  const bindingNonce = Fn.fromBytes(nonces.nonces.binding);
  if (hidingNonce === 0n || bindingNonce === 0n) throw new CairnError('NONCE_REUSED', 'These signing nonces were already used; a new round 1 is needed');
  // The own commitment must be the one these nonces produced: frostCommit recorded it beside them
  // (and the record is sealed with them at rest), so it is compared byte for byte rather than
  // recomputed with two constant-time multiplications (our wrapper and noble's signShare each did).
  const own = list.get(key.identifier);
  if (!own) throw new CairnError('BAD_PARAMETERS', 'This device is not one of the chosen signers');
  if (!equalBytes(own.hidingBytes, nonces.commitment.hiding) || !equalBytes(own.bindingBytes, nonces.commitment.binding))
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The commitment list does not contain this device’s own commitment');
  nonces.consumed = true; // before signing: even a throw below must not leave the nonces usable
  try {
    const groupKey = groupKeyOf(key.public);
    const group = groupCommitment(groupKey, sortCommitments([...list.values()]), s.digest);
    const z = signatureShare({
      identifier: key.identifier,
      signingShare: Fn.fromBytes(key.signingShare),
      hidingNonce,
      bindingNonce,
      group,
      challenge: challenge(group.R, groupKey, s.digest),
    });
    return encodeSignatureShare(s.session, key.identifier, Fn.toBytes(z));
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The commitments of this session give no usable group commitment', { cause: err });
  } finally {
    nonces.nonces.hiding.fill(0);
    nonces.nonces.binding.fill(0);
  }
}

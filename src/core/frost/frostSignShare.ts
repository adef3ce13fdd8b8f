/**
 * FROST round 2 (RFC 9591 §5.2): this device's signature share. Checks that the commitment list
 * is exactly the session's signers and still contains this device's own commitment unchanged,
 * then spends the nonces (zeroed; a second use throws NONCE_REUSED).
 */
import { CairnError } from '../errors.ts';
import { frost } from '../curve.ts';
import { equalBytes } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';
import { toFrostPublic, toFrostSecret, type KeyPackage } from '../keyPackage.ts';
import { collectPackages } from './collectPackages.ts';
import { decodeCommitment, encodeSignatureShare } from './frostPackages.ts';
import type { SigningNonces } from './signingNonces.ts';
import type { SigningSession } from './signingSession.ts';
import { Point, Fn } from '../curve.ts';

export function frostSignShare(
  key: KeyPackage,
  nonces: SigningNonces,
  s: SigningSession,
  commitments: ReadonlyMap<Identifier, Uint8Array>,
): Uint8Array {
  if (nonces.consumed) throw new CairnError('NONCE_REUSED', 'These signing nonces were already used; a new round 1 is needed');
  if (!equalBytes(nonces.session, s.session) || nonces.identifier !== key.identifier)
    throw new CairnError('WRONG_SESSION', 'These nonces belong to another signing session');
  if (key.public.epoch !== s.epoch) throw new CairnError('WRONG_EPOCH', 'Share and session are from different epochs');
  const list = collectPackages(commitments, s.signers, 'Nonce commitment', (b, from) => decodeCommitment(b, s.session, from));
  const own = list.get(key.identifier)!;
  const hiding = Point.BASE.multiply(Fn.fromBytes(nonces.nonces.hiding)).toBytes(true);
  const binding = Point.BASE.multiply(Fn.fromBytes(nonces.nonces.binding)).toBytes(true);
  if (!equalBytes(own.hiding, hiding) || !equalBytes(own.binding, binding))
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The commitment list does not contain this device’s own commitment');
  nonces.consumed = true; // before signing: even a throw below must not leave the nonces usable
  const share = frost.signShare(toFrostSecret(key), toFrostPublic(key.public, s.signers), nonces.nonces, [...list.values()], s.digest);
  return encodeSignatureShare(s.session, key.identifier, share);
}

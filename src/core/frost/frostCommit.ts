/** FROST round 1 (RFC 9591 §5.1): fresh hiding/binding nonces and their public commitments. */
import { CairnError } from '../errors.ts';
import { frost, type Rng } from '../curve.ts';
import { toFrostSecret, type KeyPackage } from '../keyPackage.ts';
import { encodeCommitment } from './frostPackages.ts';
import { makeSigningNonces, type SigningNonces } from './signingNonces.ts';
import type { SigningSession } from './signingSession.ts';

export type FrostCommitResult = { nonces: SigningNonces; commitment: Uint8Array };

export function frostCommit(key: KeyPackage, s: SigningSession, rng?: Rng): FrostCommitResult {
  if (key.public.epoch !== s.epoch)
    throw new CairnError('WRONG_EPOCH', `This share is from epoch ${key.public.epoch}; the session signs with epoch ${s.epoch}`);
  if (!s.signers.includes(key.identifier)) throw new CairnError('BAD_PARAMETERS', 'This device is not one of the chosen signers');
  const { nonces, commitments } = frost.commit(toFrostSecret(key), rng && ((n = 32) => rng(n) as Uint8Array<ArrayBuffer>));
  return { nonces: makeSigningNonces(s.session, key.identifier, nonces, commitments), commitment: encodeCommitment(s.session, commitments) };
}

/**
 * Guardian side: D_i = x_i·U and a BIP-374 proof that log_G(Y_i) = log_U(D_i), bound to the item
 * and the decryption session. Call it only after this device's user approved the request (and
 * its policy allowed it); this function checks the cryptography, not the approval.
 */
import type { Key } from '@noble/curves/abstract/frost.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../errors.ts';
import { dleqGenerateProof } from './dleq.ts';
import { Point, decodeNonZeroScalar, parseIdentifier } from './group.ts';
import { partialDecryptionBinding } from './itemContext.ts';
import { readPublicPackage } from './publicPackage.ts';
import type { PartialDecryption, RNG, VaultCiphertext } from './types.ts';
import { verifyVaultCiphertext } from './verifyVaultCiphertext.ts';

export type CreatePartialDecryptionParameters = {
  /** This guardian's key (noble FROST shape, e.g. the DKG's round-3 output). */
  key: Key;
  ciphertext: VaultCiphertext;
  /** The wallet this guardian serves: a ciphertext for another wallet is refused. */
  walletId: string;
  /** 32-byte decryption session (request) id, bound into the proof. */
  session: Uint8Array;
  rng?: RNG;
};

export function createPartialDecryption({ key, ciphertext, walletId, session, rng = randomBytes }: CreatePartialDecryptionParameters): PartialDecryption {
  if (ciphertext.context.walletId !== walletId) throw new CairnError('WRONG_WALLET', 'This vault item belongs to another wallet');
  // TDH2: no partial for a ciphertext whose well-formedness proof fails (mauled U, label or body).
  const { U, digest } = verifyVaultCiphertext(ciphertext);
  const id = key.secret.identifier;
  parseIdentifier(id);
  const pub = readPublicPackage(key.public);
  const Yi = pub.verifyingShare(id);
  if (!Yi) throw new CairnError('BAD_PARAMETERS', 'This guardian has no verifying share in the public package');
  const xi = decodeNonZeroScalar(key.secret.signingShare, 'signing share');
  // A share that no longer matches its public verifying share would only produce a "cheating"
  // partial; say so locally instead.
  if (!Point.BASE.multiply(xi).equals(Yi)) throw new CairnError('BAD_SHARE', "This device's share does not match its verifying share");
  const d = U.multiply(xi);
  const m = partialDecryptionBinding(ciphertext, session, digest);
  const proof = dleqGenerateProof({ a: xi, B: U, auxRand: rng(32), m, precomputed: { A: Yi, C: d } });
  if (!proof) throw new CairnError('ABORTED', 'Could not prove the partial decryption; try again');
  return { identifier: id, d: d.toBytes(true), proof };
}

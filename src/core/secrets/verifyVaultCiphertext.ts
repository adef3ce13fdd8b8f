/**
 * The TDH2 validity check: the BIP-374 proof that log_G(U) = log_H(Ū), bound to the context and
 * the sealed bytes. Guardians run it before releasing anything, so a mauled ciphertext (new U,
 * changed label or body) cannot turn them into a decryption oracle: making a valid proof for a
 * new U needs its r, and then the attacker could decrypt alone anyway.
 */
import { CairnError } from '../errors.ts';
import { tdh2Generator } from './constants.ts';
import { dleqVerifyProof } from './dleq.ts';
import { decodePoint, type Point } from './group.ts';
import { ciphertextDigest } from './itemContext.ts';
import type { VaultCiphertext } from './types.ts';

/** Returns U and the ciphertext digest when well-formed; throws BAD_PROOF otherwise. */
export function verifyVaultCiphertext(ciphertext: VaultCiphertext, culprits: readonly string[] = []): { U: Point; digest: Uint8Array } {
  const U = decodePoint(ciphertext.u, 'U', culprits);
  const uBar = decodePoint(ciphertext.uBar, 'Ū', culprits);
  const m = ciphertextDigest(ciphertext);
  if (!dleqVerifyProof({ A: U, B: tdh2Generator(), C: uBar, proof: ciphertext.proof, m }))
    throw new CairnError('BAD_PROOF', 'Vault ciphertext is not well-formed (its TDH2 proof fails)', { culprits });
  return { U, digest: m };
}

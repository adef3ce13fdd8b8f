/**
 * Encrypts a note or small file to the wallet's group key Y (TDH2-style, see README.md):
 *   r random, U = r·G, Ū = r·H, K = r·Y, (key, nonce) = HKDF(K, U‖Y‖context),
 *   sealed = XChaCha20-Poly1305(key, nonce, aad = context).encrypt(plaintext),
 *   proof = BIP-374 DLEQ(log_G U = log_H Ū, m = digest(context, sealed)).
 * Anyone with the public package can encrypt; only t guardians together can open.
 */
import type { FrostPublic } from '@noble/curves/abstract/frost.js';
import { mapHashToField } from '@noble/curves/abstract/modular.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { CairnError } from '../errors.ts';
import { MAX_PLAINTEXT_BYTES, tdh2Generator } from './constants.ts';
import { deriveItemKey } from './deriveItemKey.ts';
import { dleqGenerateProof } from './dleq.ts';
import { ORDER, Point } from './group.ts';
import { ciphertextDigest, encodeItemContext } from './itemContext.ts';
import { readPublicPackage } from './publicPackage.ts';
import type { RNG, VaultCiphertext, VaultItemContext } from './types.ts';

export type EncryptVaultItemParameters = {
  /** The wallet's public package (noble FROST shape); the group key is `commitments[0]`. */
  publicKey: FrostPublic;
  context: VaultItemContext;
  /** At most 1 MiB. */
  plaintext: Uint8Array;
  /** Randomness source (defaults to crypto.getRandomValues); inject only in tests. */
  rng?: RNG;
};

export function encryptVaultItem({ publicKey, context, plaintext, rng = randomBytes }: EncryptVaultItemParameters): VaultCiphertext {
  if (!(plaintext instanceof Uint8Array)) throw new CairnError('BAD_PARAMETERS', 'Plaintext must be bytes');
  if (plaintext.length > MAX_PLAINTEXT_BYTES)
    throw new CairnError('BAD_PARAMETERS', `Vault items are limited to ${MAX_PLAINTEXT_BYTES} bytes`, {
      details: [`got ${plaintext.length} bytes`],
    });
  const contextBytes = encodeItemContext(context);
  const { groupKey, groupKeyBytes } = readPublicPackage(publicKey);
  const H = tdh2Generator();
  // 48 random bytes reduced mod n − 1, plus one: uniform enough in [1, n) (RFC 9380 §5 style).
  const r = bytesToNumberBE(mapHashToField(rng(48), ORDER));
  const U = Point.BASE.multiply(r);
  const UBar = H.multiply(r);
  const u = U.toBytes(true);
  const uBar = UBar.toBytes(true);
  const { key, nonce } = deriveItemKey(groupKey.multiply(r), u, groupKeyBytes, contextBytes);
  const sealed = xchacha20poly1305(key, nonce, contextBytes).encrypt(plaintext);
  key.fill(0);
  const draft: VaultCiphertext = { context: { ...context }, u, uBar, proof: new Uint8Array(64), sealed };
  const proof = dleqGenerateProof({ a: r, B: H, auxRand: rng(32), m: ciphertextDigest(draft), precomputed: { A: U, C: UBar } });
  if (!proof) throw new CairnError('ABORTED', 'Could not prove the ciphertext well-formed; try again');
  return { ...draft, proof };
}

/**
 * Requester side, end to end: checks the ciphertext is the item the user asked for and is
 * well-formed, combines t verified partial decryptions into K, and opens the AEAD.
 */
import type { FrostPublic } from '@noble/curves/abstract/frost.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { CairnError } from '../errors.ts';
import { combinePartialDecryptions } from './combinePartialDecryptions.ts';
import { deriveItemKey } from './deriveItemKey.ts';
import type { Point } from './group.ts';
import { encodeItemContext } from './itemContext.ts';
import { readPublicPackage } from './publicPackage.ts';
import type { VaultCiphertext } from './types.ts';
import { verifyVaultCiphertext } from './verifyVaultCiphertext.ts';

export type OpenVaultItemParameters = {
  publicKey: FrostPublic;
  ciphertext: VaultCiphertext;
  session: Uint8Array;
  partials: Readonly<Record<string, Uint8Array>>;
  /** What the requester asked to open; a ciphertext for anything else is refused. */
  expected: { walletId: string; itemId: string };
};

export function openVaultItem({ publicKey, ciphertext, session, partials, expected }: OpenVaultItemParameters): Uint8Array {
  if (ciphertext.context.walletId !== expected.walletId) throw new CairnError('WRONG_WALLET', 'This vault item belongs to another wallet');
  if (ciphertext.context.itemId !== expected.itemId) throw new CairnError('WRONG_SESSION', 'This ciphertext is for another vault item');
  const { digest } = verifyVaultCiphertext(ciphertext);
  const K = combinePartialDecryptions({ publicKey, ciphertext, session, partials, digest });
  return openWithSharedPoint({ publicKey, ciphertext, sharedPoint: K });
}

export type OpenWithSharedPointParameters = { publicKey: FrostPublic; ciphertext: VaultCiphertext; sharedPoint: Point };

/** The DEM step alone: derive the item key from K and open the AEAD (context as associated data). */
export function openWithSharedPoint({ publicKey, ciphertext, sharedPoint }: OpenWithSharedPointParameters): Uint8Array {
  const contextBytes = encodeItemContext(ciphertext.context);
  const { groupKeyBytes } = readPublicPackage(publicKey);
  const { key, nonce } = deriveItemKey(sharedPoint, ciphertext.u, groupKeyBytes, contextBytes);
  try {
    return xchacha20poly1305(key, nonce, contextBytes).decrypt(ciphertext.sealed);
  } catch (cause) {
    throw new CairnError('DECRYPTION_FAILED', 'Vault item does not open (wrong key, label or associated data)', { cause });
  } finally {
    key.fill(0);
  }
}

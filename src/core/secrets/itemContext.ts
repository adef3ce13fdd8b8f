/**
 * Canonical bytes of an item's context and the digests that bind a ciphertext and a decryption
 * session. The same context bytes are the AEAD associated data and part of the KDF info.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../errors.ts';
import { ByteWriter } from '../encoding.ts';
import { MAX_ID_BYTES, MAX_LABEL_BYTES, SESSION_BYTES, TAG_CIPHERTEXT, TAG_PARTIAL, VAULT_FORMAT_VERSION } from './constants.ts';
import { taggedHash } from './dleq.ts';
import type { VaultCiphertext, VaultItemContext, VaultItemKind } from './types.ts';

export const ITEM_KINDS: readonly VaultItemKind[] = ['note', 'file'];

function checkLength(value: unknown, field: string, min: number, max: number, culprits: readonly string[]): Uint8Array {
  if (typeof value !== 'string') throw new CairnError('BAD_PARAMETERS', `${field} must be a string`, { culprits });
  const bytes = utf8ToBytes(value);
  // Lone surrogates would encode as U+FFFD and decode to another string: refuse them.
  if (new TextDecoder().decode(bytes) !== value) throw new CairnError('BAD_PARAMETERS', `${field} is not well-formed Unicode`, { culprits });
  if (bytes.length < min || bytes.length > max) throw new CairnError('BAD_PARAMETERS', `${field} must be ${min}..${max} UTF-8 bytes`, { culprits });
  return bytes;
}

/** Checks the bounds of a context and returns its canonical encoding. */
export function encodeItemContext(ctx: VaultItemContext, culprits: readonly string[] = []): Uint8Array {
  const kind = ITEM_KINDS.indexOf(ctx?.kind);
  if (kind < 0) throw new CairnError('BAD_PARAMETERS', 'Item kind must be "note" or "file"', { culprits });
  return new ByteWriter()
    .u8(VAULT_FORMAT_VERSION)
    .u8(kind)
    .var16(checkLength(ctx.walletId, 'walletId', 1, MAX_ID_BYTES, culprits))
    .var16(checkLength(ctx.itemId, 'itemId', 1, MAX_ID_BYTES, culprits))
    .var16(checkLength(ctx.label, 'label', 0, MAX_LABEL_BYTES, culprits))
    .finish();
}

/**
 * The message m of the TDH2 well-formedness proof: the context and the AEAD output. U and Ū
 * are already in the BIP-374 challenge, so changing any part of the ciphertext breaks the proof.
 */
export function ciphertextDigest(ciphertext: VaultCiphertext): Uint8Array {
  const body = new ByteWriter().bytes(encodeItemContext(ciphertext.context)).u32(ciphertext.sealed.length).finish();
  return taggedHash(TAG_CIPHERTEXT, body, ciphertext.sealed);
}

/** The message m of a partial decryption's proof: binds the item (ciphertext) and the session. */
export function partialDecryptionBinding(ciphertext: VaultCiphertext, session: Uint8Array, digest: Uint8Array = ciphertextDigest(ciphertext)): Uint8Array {
  checkSession(session);
  return taggedHash(TAG_PARTIAL, digest, ciphertext.u, ciphertext.uBar, session);
}

export function checkSession(session: Uint8Array): void {
  if (!(session instanceof Uint8Array) || session.length !== SESSION_BYTES)
    throw new CairnError('BAD_PARAMETERS', `Decryption session must be ${SESSION_BYTES} bytes`);
}

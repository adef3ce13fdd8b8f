/**
 * Canonical bytes of a vault ciphertext:
 *   u8 version=1 ‖ u8 type=0x01 ‖ u8 kind ‖ u16-len walletId ‖ u16-len itemId ‖ u16-len label
 *   ‖ U[33] ‖ Ū[33] ‖ proof[64] ‖ u32-len sealed (16 .. 1 MiB + 16)
 * Strings are strict UTF-8; points are checked on the curve; trailing bytes are rejected.
 */
import { CairnError } from '../errors.ts';
import { ByteReader, ByteWriter } from '../encoding.ts';
import { AEAD_TAG_BYTES, MAX_ID_BYTES, MAX_LABEL_BYTES, MAX_PLAINTEXT_BYTES, PACKAGE_TYPE_CIPHERTEXT, VAULT_FORMAT_VERSION } from './constants.ts';
import { DLEQ_PROOF_BYTES } from './dleq.ts';
import { POINT_BYTES, decodePoint } from './group.ts';
import { ITEM_KINDS, encodeItemContext } from './itemContext.ts';
import type { VaultCiphertext } from './types.ts';

export function encodeVaultCiphertext(ct: VaultCiphertext): Uint8Array {
  encodeItemContext(ct.context); // checks bounds
  if (ct.u.length !== POINT_BYTES || ct.uBar.length !== POINT_BYTES || ct.proof.length !== DLEQ_PROOF_BYTES)
    throw new CairnError('BAD_PARAMETERS', 'Ciphertext fields have the wrong length');
  if (ct.sealed.length < AEAD_TAG_BYTES || ct.sealed.length > MAX_PLAINTEXT_BYTES + AEAD_TAG_BYTES)
    throw new CairnError('BAD_PARAMETERS', 'Sealed item has an impossible length');
  const enc = new TextEncoder();
  return new ByteWriter()
    .u8(VAULT_FORMAT_VERSION)
    .u8(PACKAGE_TYPE_CIPHERTEXT)
    .u8(ITEM_KINDS.indexOf(ct.context.kind))
    .var16(enc.encode(ct.context.walletId))
    .var16(enc.encode(ct.context.itemId))
    .var16(enc.encode(ct.context.label))
    .bytes(ct.u)
    .bytes(ct.uBar)
    .bytes(ct.proof)
    .var32(ct.sealed)
    .finish();
}

/**
 * Decodes and checks a ciphertext's structure (not its proof: see verifyVaultCiphertext).
 * @param culprits - who handed us the bytes, if known; named in any error.
 */
export function decodeVaultCiphertext(bytes: Uint8Array, culprits: readonly string[] = []): VaultCiphertext {
  if (!(bytes instanceof Uint8Array)) throw new CairnError('MALFORMED', 'Vault ciphertext must be bytes', { culprits });
  const r = new ByteReader(bytes, 'vault ciphertext', culprits);
  if (r.u8('version') !== VAULT_FORMAT_VERSION) r.fail('unknown version');
  if (r.u8('type') !== PACKAGE_TYPE_CIPHERTEXT) r.fail('not a ciphertext');
  const kind = ITEM_KINDS[r.u8('kind')];
  if (kind === undefined) return r.fail('unknown item kind');
  const walletId = r.utf8(r.var16('walletId', MAX_ID_BYTES, 1), 'walletId');
  const itemId = r.utf8(r.var16('itemId', MAX_ID_BYTES, 1), 'itemId');
  const label = r.str16('label', MAX_LABEL_BYTES);
  const u = r.bytes(POINT_BYTES, 'U');
  const uBar = r.bytes(POINT_BYTES, 'Ū');
  const proof = r.bytes(DLEQ_PROOF_BYTES, 'proof');
  const sealed = r.var32('sealed', MAX_PLAINTEXT_BYTES + AEAD_TAG_BYTES, AEAD_TAG_BYTES);
  r.end();
  decodePoint(u, 'U', culprits);
  decodePoint(uBar, 'Ū', culprits);
  return { context: { walletId, itemId, kind, label }, u, uBar, proof, sealed };
}

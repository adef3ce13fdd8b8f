/** Sizes, bounds and domain-separation tags of the vault format (version 1). */
import { secp256k1_hasher } from '@noble/curves/secp256k1.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { Point } from './group.ts';

export const VAULT_FORMAT_VERSION = 1;
/** Package type bytes, so a partial can never be parsed as a ciphertext or vice versa. */
export const PACKAGE_TYPE_CIPHERTEXT = 0x01;
export const PACKAGE_TYPE_PARTIAL = 0x02;

/** Largest note or file the vault accepts (1 MiB of plaintext). */
export const MAX_PLAINTEXT_BYTES = 1024 * 1024;
export const AEAD_TAG_BYTES = 16;
/** Bounds on the UTF-8 lengths of the context strings. */
export const MAX_ID_BYTES = 128;
export const MAX_LABEL_BYTES = 512;
/** A decryption session (request) identifier: 32 bytes, e.g. a hash of the request. */
export const SESSION_BYTES = 32;

export const TAG_CIPHERTEXT = 'Cairn/vault/v1/ciphertext';
export const TAG_PARTIAL = 'Cairn/vault/v1/partial';
export const KDF_SALT = utf8ToBytes('Cairn/vault/v1/kdf');
/** RFC 9380 domain separation tag for the second generator H (secp256k1_XMD:SHA-256_SSWU_RO_). */
export const SECOND_GENERATOR_DST = 'CAIRN-VAULT-V1-TDH2-GENERATOR_secp256k1_XMD:SHA-256_SSWU_RO_';

let secondGenerator: Point | undefined;
/**
 * TDH2's second generator H (Ū = r·H). Hashed to the curve, so nobody knows log_G(H): the
 * ciphertext proof then shows the encryptor knows r for U = r·G.
 */
export function tdh2Generator(): Point {
  secondGenerator ??= secp256k1_hasher.hashToCurve(utf8ToBytes('Cairn vault second generator'), {
    DST: SECOND_GENERATOR_DST,
  }) as unknown as Point;
  return secondGenerator;
}

/** Family vault: threshold decryption of secrets under the wallet's group key. See README.md. */
export type { VaultItemKind, VaultItemContext, VaultCiphertext } from './types.ts';
export { MAX_PLAINTEXT_BYTES } from './constants.ts';
export { encryptVaultItem } from './encryptVaultItem.ts';
export { encodeVaultCiphertext, decodeVaultCiphertext } from './vaultCiphertextEncoding.ts';
export { verifyVaultCiphertext } from './verifyVaultCiphertext.ts';
export { createPartialDecryption } from './createPartialDecryption.ts';
export { encodePartialDecryption, decodePartialDecryption, PARTIAL_DECRYPTION_BYTES } from './partialDecryptionEncoding.ts';
export { combinePartialDecryptions } from './combinePartialDecryptions.ts';
export { openVaultItem, openWithSharedPoint } from './openVaultItem.ts';

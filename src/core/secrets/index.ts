/** Family vault: threshold decryption of secrets under the wallet's group key. See README.md. */
export type { VaultItemKind, VaultItemContext, VaultCiphertext, PartialDecryption, RNG } from './types.ts';
export { MAX_PLAINTEXT_BYTES, SESSION_BYTES } from './constants.ts';
export { encryptVaultItem, type EncryptVaultItemParameters } from './encryptVaultItem.ts';
export { encodeVaultCiphertext, decodeVaultCiphertext } from './vaultCiphertextEncoding.ts';
export { verifyVaultCiphertext } from './verifyVaultCiphertext.ts';
export { createPartialDecryption, type CreatePartialDecryptionParameters } from './createPartialDecryption.ts';
export { encodePartialDecryption, decodePartialDecryption, PARTIAL_DECRYPTION_BYTES } from './partialDecryptionEncoding.ts';
export { verifyPartialDecryption } from './verifyPartialDecryption.ts';
export { combinePartialDecryptions, type CombinePartialDecryptionsParameters } from './combinePartialDecryptions.ts';
export { openVaultItem, openWithSharedPoint, type OpenVaultItemParameters } from './openVaultItem.ts';
export { dleqGenerateProof, dleqVerifyProof } from './dleq.ts';

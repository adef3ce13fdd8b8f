/** Wire types of the family vault. Bytes outside, bigints inside (like noble's FROST). */

export type VaultItemKind = 'note' | 'file';

/**
 * What an item is and where it belongs: bound into the AEAD's associated data, the key
 * derivation and the TDH2 proof, and shown to each guardian before it releases a partial.
 */
export type VaultItemContext = {
  /** The wallet whose group key the item is encrypted to (1..128 UTF-8 bytes). */
  walletId: string;
  /** Stable identifier of the item within the wallet (1..128 UTF-8 bytes). */
  itemId: string;
  kind: VaultItemKind;
  /** Human-readable name shown to guardians, e.g. "Bank passwords" (0..512 UTF-8 bytes). */
  label: string;
};

/** A vault item encrypted to the group key (TDH2-style KEM + XChaCha20-Poly1305). */
export type VaultCiphertext = {
  context: VaultItemContext;
  /** U = r·G (33 bytes, compressed). */
  u: Uint8Array;
  /** Ū = r·H (33 bytes), H the hashed-to-curve second generator. */
  uBar: Uint8Array;
  /** BIP-374 proof (e, s) that log_G(U) = log_H(Ū), bound to the context and `sealed`. */
  proof: Uint8Array;
  /** AEAD output: ciphertext || 16-byte tag. */
  sealed: Uint8Array;
};

/** One guardian's contribution: D_i = x_i·U with a BIP-374 proof that log_G(Y_i) = log_U(D_i). */
export type PartialDecryption = {
  /** The guardian's identifier (canonical 32-byte hex). Must match the authenticated sender. */
  identifier: string;
  /** D_i (33 bytes, compressed). */
  d: Uint8Array;
  /** BIP-374 proof (e, s), message = item/session binding. */
  proof: Uint8Array;
};

export type RNG = (bytesLength: number) => Uint8Array;

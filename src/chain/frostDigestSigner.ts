import type { Address, Hex } from 'viem';

/**
 * What a signature is for, so that each guardian device can recompute the digest from it (via the
 * core's `signingDigest`, see `toCoreSigningRequest`), show it to its holder and apply its policy
 * before co-signing. The digest alone is never enough to judge.
 */
export type FrostSigningRequest =
  | {
      kind: 'vault.execute';
      chainId: number;
      vault: Address;
      nonce: bigint;
      to: Address;
      value: bigint;
      data: Hex;
      /** The gas the call must be able to use; a submitter giving less makes `execute` revert. */
      minGas: bigint;
      /** Deadline, unix seconds. */
      validUntil: number;
    }
  | {
      /** An ERC-4337 v0.8 user operation of the vault making one call (`CairnVault.executeUserOp`). */
      kind: 'vault.userOperation';
      chainId: number;
      entryPoint: Address;
      vault: Address;
      nonce: bigint;
      /** factory ‖ factoryData, or 0x once the vault exists. */
      initCode: Hex;
      to: Address;
      value: bigint;
      data: Hex;
      callGasLimit: bigint;
      verificationGasLimit: bigint;
      preVerificationGas: bigint;
      maxFeePerGas: bigint;
      maxPriorityFeePerGas: bigint;
      paymasterAndData: Hex;
      /** Deadline, unix seconds (the EntryPoint refuses the operation after it). */
      validUntil: number;
    }
  | { kind: 'vault.message'; chainId: number; vault: Address; hash: Hex }
  | {
      kind: 'registry.register';
      chainId: number;
      registry: Address;
      threshold: number;
      guardianSetHash: Hex;
    }
  | {
      kind: 'registry.advanceEpoch';
      chainId: number;
      registry: Address;
      walletId: Hex;
      epoch: bigint;
      threshold: number;
      guardianSetHash: Hex;
    };

/**
 * The seam between the chain layer and whoever holds the key shares: the guardians' FROST ceremony in
 * the app, an in-process group in tests. `src/chain` never sees a share.
 */
export type FrostDigestSigner = {
  /** The group public key, 33-byte compressed SEC1. It never changes under refresh or reshare. */
  groupKey: Uint8Array;
  /**
   * Signs a 32-byte digest (= `signingDigest(toCoreSigningRequest(request, groupKey))`) with
   * FROST(secp256k1, SHA-256) (RFC 9591) and resolves with the 65-byte signature R (33-byte
   * compressed) || z (32 bytes).
   */
  signDigest(digest: Uint8Array, request?: FrostSigningRequest): Promise<Uint8Array>;
};

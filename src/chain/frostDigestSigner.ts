import type { SigningRequest } from '../core/signingRequest.ts';

/**
 * What a signature is for: the core's typed signing request (src/core/signingRequest.ts). Each
 * guardian device recomputes the digest from it (`signingDigest`), shows it to its holder and applies
 * its policy before co-signing; the digest alone is never enough to judge.
 */
export type FrostSigningRequest = SigningRequest;

/**
 * The seam between the chain layer and whoever holds the key shares: the guardians' FROST ceremony in
 * the app, an in-process group in tests. `src/chain` never sees a share.
 */
export type FrostDigestSigner = {
  /** The group public key, 33-byte compressed SEC1. It never changes under refresh or reshare. */
  groupKey: Uint8Array;
  /**
   * Signs a 32-byte digest (= `signingDigest(request)`) with FROST(secp256k1, SHA-256) (RFC 9591) and
   * resolves with the 65-byte signature R (33-byte compressed) || z (32 bytes).
   */
  signDigest(digest: Uint8Array, request?: FrostSigningRequest): Promise<Uint8Array>;
};

/**
 * Zero-sharing F_Zero (DKLs23 Functionality 3.4; guide §5). Each pair agrees on a seed once at setup (commit, then
 * open, seed = seed_i ⊕ seed_j); per signature every signer derives ζ_i = Σ_j σ_ij·H(s_ij ‖ sigid ‖ P), with
 * σ_ij = −1 when id_i < id_j and +1 otherwise, so Σ_{i∈P} ζ_i = 0. ζ re-randomises each signer's additive key share.
 */
import { ctEqual, hashTagged, hashToScalar, hexToBytes32, mod } from './encoding.ts';

/** Commitment to a zero-sharing seed contribution, bound to the setup id and the ordered pair. */
export function zeroSeedCommit(setupId: Uint8Array, from: string, to: string, seed: Uint8Array, salt: Uint8Array): Uint8Array {
  return hashTagged('zero-commit', setupId, hexToBytes32(from), hexToBytes32(to), seed, salt);
}

export function zeroSeedOpens(commitment: Uint8Array, setupId: Uint8Array, from: string, to: string, seed: Uint8Array, salt: Uint8Array): boolean {
  return ctEqual(commitment, zeroSeedCommit(setupId, from, to, seed, salt));
}

export function combineZeroSeeds(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/**
 * ζ_i for one signature. `seeds` maps each other signer to the pairwise seed; `signersBytes` is the canonical
 * encoding of the sorted signer set.
 */
export function zeroShare(self: string, seeds: ReadonlyMap<string, Uint8Array>, sigid: Uint8Array, signersBytes: Uint8Array): bigint {
  let z = 0n;
  for (const [peer, seed] of seeds) {
    const term = hashToScalar('zero', seed, sigid, signersBytes);
    // identifiers are canonical lowercase 64-char hex, so string order = big-endian byte order
    z += self < peer ? -term : term;
  }
  return mod(z);
}

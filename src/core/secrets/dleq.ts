/**
 * BIP-374 "Discrete Log Equality Proofs" on secp256k1, exactly as the BIP's reference.py
 * (bitcoin/bips `bip-0374/reference.py`): proves A = a·G and C = a·B with a 64-byte proof (e, s),
 * tagged hashes `BIP0374/aux`, `BIP0374/nonce`, `BIP0374/challenge`, and an optional 32-byte
 * message m that the challenge commits to. Following the BIP byte for byte lets its published
 * CSV vectors test this file (test/core/secrets/bip374.test.ts).
 *
 * The vault uses it twice: a guardian's partial decryption (a = x_i, G = G, B = U, A = Y_i,
 * C = D_i, m = item/session binding) and the TDH2 well-formedness proof of a ciphertext
 * (a = r, G = G, B = H, A = U, C = Ū, m = digest of the ciphertext body and label).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { Point, Fn, ORDER, encodeScalar, type Point as P } from './group.ts';

export const DLEQ_PROOF_BYTES = 64;

const tagCache = new Map<string, Uint8Array>();
/** BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || msg). */
export function taggedHash(tag: string, ...msgs: Uint8Array[]): Uint8Array {
  let t = tagCache.get(tag);
  if (!t) {
    const h = sha256(utf8ToBytes(tag));
    t = concatBytes(h, h);
    tagCache.set(tag, t);
  }
  return sha256(concatBytes(t, ...msgs));
}

function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

const ser = (p: P): Uint8Array => p.toBytes(true);

/** The BIP-374 challenge e = H_challenge(A || B || C || G || R1 || R2 || m). */
export function dleqChallenge(A: P, B: P, C: P, R1: P, R2: P, m: Uint8Array | undefined, G: P): bigint {
  const msg = m ?? new Uint8Array(0);
  return bytesToNumberBE(taggedHash('BIP0374/challenge', ser(A), ser(B), ser(C), ser(G), ser(R1), ser(R2), msg));
}

export type DleqGenerateProofParameters = {
  /** The secret scalar (as a bigint; the BIP returns no proof unless 0 < a < n). */
  a: bigint;
  B: P;
  /** 32 bytes of auxiliary randomness (fresh per proof; mixed into the nonce like BIP-340). */
  auxRand: Uint8Array;
  /** The base of A = a·G; the standard generator unless a vector says otherwise. */
  G?: P;
  /** Optional 32-byte message bound into the proof. */
  m?: Uint8Array;
  /**
   * A = a·G and C = a·B when the caller already has them (saves two multiplications). Wrong values
   * make the final self-check fail, so they cannot yield a bad proof.
   */
  precomputed?: { A: P; C: P };
};

/**
 * Generates a proof, or `undefined` where the BIP returns None (a out of range, B the identity,
 * nonce zero, or the self-check failing).
 */
export function dleqGenerateProof({ a, B, auxRand, G = Point.BASE, m, precomputed }: DleqGenerateProofParameters): Uint8Array | undefined {
  if (auxRand.length !== 32) throw new TypeError('auxRand must be 32 bytes');
  if (m !== undefined && m.length !== 32) throw new TypeError('m must be 32 bytes');
  if (!(a > 0n && a < ORDER)) return undefined;
  if (B.is0() || G.is0()) return undefined;
  const A = precomputed?.A ?? G.multiply(a);
  const C = precomputed?.C ?? B.multiply(a);
  const t = xor32(encodeScalar(a), taggedHash('BIP0374/aux', auxRand));
  const rand = taggedHash('BIP0374/nonce', t, ser(A), ser(C), m ?? new Uint8Array(0));
  const k = Fn.create(bytesToNumberBE(rand));
  if (k === 0n) return undefined;
  const R1 = G.multiply(k);
  const R2 = B.multiply(k);
  const e = dleqChallenge(A, B, C, R1, R2, m, G);
  const s = Fn.add(k, Fn.mul(Fn.create(e), a));
  const proof = concatBytes(encodeScalar(e), encodeScalar(s));
  // The BIP verifies its own output before returning it (guards against faults).
  if (!dleqVerifyProof({ A, B, C, proof, G, m })) return undefined;
  return proof;
}

export type DleqVerifyProofParameters = { A: P; B: P; C: P; proof: Uint8Array; G?: P; m?: Uint8Array };

/** Verifies a proof that log_G(A) = log_B(C). Never throws on bad input; returns false. */
export function dleqVerifyProof({ A, B, C, proof, G = Point.BASE, m }: DleqVerifyProofParameters): boolean {
  if (A.is0() || B.is0() || C.is0() || G.is0()) return false;
  if (!(proof instanceof Uint8Array) || proof.length !== DLEQ_PROOF_BYTES) return false;
  if (m !== undefined && m.length !== 32) return false;
  const e = bytesToNumberBE(proof.subarray(0, 32));
  const s = bytesToNumberBE(proof.subarray(32, 64));
  if (s >= ORDER) return false;
  // e is a full 256-bit hash output; only its residue mod n enters the group operations.
  const eN = Fn.create(e);
  // Public scalars only: the faster, variable-time Strauss–Shamir path is fine here.
  const negE = Fn.neg(eN);
  const R1 = G.mulAddUnsafe(s, A, negE);
  if (R1.is0()) return false;
  const R2 = B.mulAddUnsafe(s, C, negE);
  if (R2.is0()) return false;
  return e === dleqChallenge(A, B, C, R1, R2, m, G);
}

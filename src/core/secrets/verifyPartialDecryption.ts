/**
 * Checks one partial decryption against the guardian's *public* verifying share Y_i from the
 * wallet's public package: BIP-374 proof that log_G(Y_i) = log_U(D_i) with the item/session
 * binding as message. Returns false for any invalid partial; never throws on bad partial bytes.
 */
import { dleqVerifyProof } from './dleq.ts';
import { Point, type Point as P } from './group.ts';
import type { PartialDecryption } from './types.ts';

export type VerifyPartialDecryptionParameters = {
  /** Y_i from the public package. */
  verifyingShare: P;
  U: P;
  /** partialDecryptionBinding(ciphertext, session). */
  binding: Uint8Array;
  partial: PartialDecryption;
};

export function verifyPartialDecryption({ verifyingShare, U, binding, partial }: VerifyPartialDecryptionParameters): boolean {
  let D: P;
  try {
    D = Point.fromBytes(partial.d);
  } catch {
    return false;
  }
  return dleqVerifyProof({ A: verifyingShare, B: U, C: D, proof: partial.proof, m: binding });
}

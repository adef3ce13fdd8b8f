/**
 * Requester side: checks every partial decryption against the wallet's public verifying shares,
 * names every cheater, and combines the valid ones by Lagrange interpolation at 0 over the
 * identifiers: K = Σ λ_i·D_i = x·U = r·Y. Nothing is combined unless all partials are valid
 * (identifiable abort: the runner drops the culprits and asks others).
 */
import type { FrostPublic } from '@noble/curves/abstract/frost.js';
import { CairnError } from '../errors.ts';
import { Point, decodePoint, parseIdentifier, type Point as P } from './group.ts';
import { partialDecryptionBinding } from './itemContext.ts';
import { lagrangeAtZero } from './lagrange.ts';
import { decodePartialDecryption } from './partialDecryptionEncoding.ts';
import { readPublicPackage } from './publicPackage.ts';
import type { PartialDecryption, VaultCiphertext } from './types.ts';
import { verifyPartialDecryption } from './verifyPartialDecryption.ts';

export type CombinePartialDecryptionsParameters = {
  publicKey: FrostPublic;
  ciphertext: VaultCiphertext;
  session: Uint8Array;
  /**
   * Encoded partial decryptions keyed by the *authenticated sender's* identifier (from the
   * channel, not from the payload); the payload's identifier must agree.
   */
  partials: Readonly<Record<string, Uint8Array>>;
  /** ciphertextDigest(ciphertext), when the caller already computed it. */
  digest?: Uint8Array;
};

/** Returns the shared point K (never leaves the requester's device). */
export function combinePartialDecryptions({ publicKey, ciphertext, session, partials, digest }: CombinePartialDecryptionsParameters): P {
  const pub = readPublicPackage(publicKey);
  const U = decodePoint(ciphertext.u, 'U');
  const binding = partialDecryptionBinding(ciphertext, session, digest);

  const decoded: { id: bigint; sender: string; partial: PartialDecryption; Yi: P }[] = [];
  for (const [sender, bytes] of Object.entries(partials)) {
    parseIdentifier(sender);
    const Yi = pub.verifyingShare(sender);
    if (!Yi) throw new CairnError('UNKNOWN_SENDER', 'Partial decryption from someone outside the guardian set', { culprits: [sender] });
    const partial = decodePartialDecryption(bytes, sender);
    if (partial.identifier !== sender)
      throw new CairnError('WRONG_SESSION', "Partial decryption carries another guardian's identifier", { culprits: [sender] });
    decoded.push({ id: parseIdentifier(sender), sender, partial, Yi });
  }

  const cheaters = decoded.filter(({ Yi, partial }) => !verifyPartialDecryption({ verifyingShare: Yi, U, binding, partial }));
  if (cheaters.length)
    throw new CairnError('BAD_PROOF', 'Invalid partial decryption (its DLEQ proof fails against the verifying share)', {
      culprits: cheaters.map((c) => c.sender),
    });
  if (decoded.length < pub.threshold) throw new CairnError('MISSING_PACKAGE', `Need ${pub.threshold} partial decryptions, got ${decoded.length}`);

  const xs = decoded.map((d) => d.id);
  let K = Point.ZERO;
  // D_i and λ_i are public: the variable-time multiplication is fine here.
  for (const { id, partial } of decoded) K = K.add(Point.fromBytes(partial.d).multiplyUnsafe(lagrangeAtZero(xs, id)));
  if (K.is0()) throw new CairnError('BAD_PROOF', 'Partial decryptions combine to the identity');
  return K;
}

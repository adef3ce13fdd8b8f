/**
 * In-process FROST(secp256k1, SHA-256) groups for contract tests: noble's `secp256k1_FROST` run for
 * real (DKG rounds 1–3 among all participants, then commit / signShare / aggregate among `t` of
 * them). A stand-in for the guardians' ceremony, not for FROST itself.
 */
import { secp256k1, secp256k1_FROST as F } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { signingDigest } from '../../src/core/signingRequest.ts';
import type { FrostDigestSigner } from '../../src/chain/frostDigestSigner.ts';
import { toCoreSigningRequest } from '../../src/chain/toCoreSigningRequest.ts';

type Key = ReturnType<typeof F.DKG.round3>;
const N = secp256k1.Point.CURVE().n;

export type TestFrostGroup = FrostDigestSigner & {
  threshold: number;
  size: number;
  /** Signs any message (not only 32-byte digests) with the first `threshold` participants. */
  signMessage(message: Uint8Array, signers?: readonly number[]): Uint8Array;
};

/** Runs a full DKG among `max` participants (identifiers 1..max) with threshold `min`. */
export function createFrostGroup({ min, max }: { min: number; max: number }): TestFrostGroup {
  for (;;) {
    const keys = runDkg(min, max);
    const groupKey = keys[0]!.public.commitments[0]!;
    const x = secp256k1.Point.fromBytes(groupKey).toAffine().x;
    if (x < N) return groupFromKeys(keys, min, max); // else (p. ~2⁻¹²⁸) the ecrecover trick can't use it
  }
}

function runDkg(min: number, max: number): Key[] {
  const ids = Array.from({ length: max }, (_, i) => F.Identifier.fromNumber(i + 1));
  const round1 = ids.map((id) => F.DKG.round1(id, { min, max }));
  const publics = round1.map((r) => r.public);
  const round2 = round1.map((r, i) =>
    F.DKG.round2(
      r.secret,
      publics.filter((_, j) => j !== i),
    ),
  );
  return round1.map((r, i) => {
    const id = ids[i]!;
    const incoming = round2.filter((_, j) => j !== i).map((out) => out[id]!);
    return F.DKG.round3(
      r.secret,
      publics.filter((_, j) => j !== i),
      incoming,
    );
  });
}

function groupFromKeys(keys: Key[], min: number, max: number): TestFrostGroup {
  const pub = keys[0]!.public;
  const signMessage = (message: Uint8Array, signers: readonly number[] = keys.slice(0, min).map((_, i) => i)) => {
    const chosen = signers.map((i) => keys[i]!);
    const round1 = chosen.map((k) => ({ k, ...F.commit(k.secret) }));
    const list = round1.map((r) => r.commitments);
    const shares = Object.fromEntries(round1.map((r) => [r.k.secret.identifier, F.signShare(r.k.secret, pub, r.nonces, list, message)]));
    return F.aggregate(pub, list, message, shares);
  };
  return {
    groupKey: pub.commitments[0]!,
    threshold: min,
    size: max,
    signMessage,
    signDigest: async (digest, request) => {
      if (digest.length !== 32) throw new Error('signDigest expects a 32-byte digest');
      // Like a guardian device: never sign a digest that is not the one of the stated request.
      if (request && bytesToHex(signingDigest(toCoreSigningRequest(request, pub.commitments[0]!))) !== bytesToHex(digest))
        throw new Error(`digest does not match the ${request.kind} request`);
      return signMessage(digest);
    },
  };
}

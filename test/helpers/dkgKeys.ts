/**
 * Runs a full in-process FROST DKG (noble's secp256k1_FROST.DKG round1/2/3) for tests, so every test uses keys shaped
 * exactly like the wallet's real DKG output.
 */
import { secp256k1_FROST } from '@noble/curves/secp256k1.js';
import type { Key } from '@noble/curves/abstract/frost.js';

export type DkgKeys = {
  /** Identifiers (canonical 32-byte hex) in the order they were derived. */
  ids: string[];
  /** One key package per identifier. */
  keys: Record<string, Key>;
  /** The group public key (33-byte compressed) = `public.commitments[0]`. */
  groupKey: Uint8Array;
};

/** A (t, n) DKG among parties whose identifiers are derived from `label` (distinct labels give unrelated ids). */
export function dkgKeys(t: number, n: number, label = 'guardian'): DkgKeys {
  const F = secp256k1_FROST;
  const signers = { min: t, max: n };
  const ids = Array.from({ length: n }, (_, i) => F.Identifier.derive(`${label}-${i}`));
  const r1 = ids.map((id) => F.DKG.round1(id, signers));
  const publics = r1.map((r) => r.public);
  const r2 = r1.map((r, i) =>
    F.DKG.round2(
      r.secret,
      publics.filter((_, j) => j !== i),
    ),
  );
  const keys: Record<string, Key> = {};
  ids.forEach((id, i) => {
    const others = publics.filter((_, j) => j !== i);
    const received = ids
      .filter((_, j) => j !== i)
      .map((_, k) => {
        const from = r2[ids.indexOf(others[k]!.identifier)]!;
        return from[id]!;
      });
    keys[id] = F.DKG.round3(r1[i]!.secret, others, received);
  });
  const groupKey = keys[ids[0]!]!.public.commitments[0]!;
  return { ids, keys, groupKey };
}

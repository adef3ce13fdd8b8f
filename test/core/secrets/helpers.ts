/**
 * Test helpers for the vault: real noble FROST DKG (no dealer) producing `Key`s with derived
 * identifiers, and a reshare-like redistribution of the same secret among new holders.
 * The full key is assembled only in `reshareSameSecret`, which simulates what a real reshare
 * protocol does without any single party — test code only.
 */
import type { FrostPublic, Key } from '@noble/curves/abstract/frost.js';
import { secp256k1, secp256k1_FROST as FROST } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';

const Fn = secp256k1.Point.Fn;

export function identifiers(n: number, prefix = 'guardian'): string[] {
  return Array.from({ length: n }, (_, i) => FROST.Identifier.derive(`${prefix}-${i + 1}`));
}

/** Runs noble's three-round DKG among `n` guardians with threshold `t`. */
export function runDkg(t: number, n: number, prefix = 'guardian'): Key[] {
  const ids = identifiers(n, prefix);
  const signers = { min: t, max: n };
  const r1 = ids.map((id) => FROST.DKG.round1(id, signers));
  const others = <T>(list: T[], i: number) => list.filter((_, j) => j !== i);
  const r2 = r1.map((r, i) =>
    FROST.DKG.round2(
      r.secret,
      others(r1, i).map((o) => o.public),
    ),
  );
  return ids.map((id, i) =>
    FROST.DKG.round3(
      r1[i]!.secret,
      others(r1, i).map((o) => o.public),
      others(r2, i).map((m) => m[id]!),
    ),
  );
}

/** All k-subsets of `list`, in order. */
export function subsets<T>(list: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (list.length < k) return [];
  const [head, ...rest] = list;
  return [...subsets(rest, k - 1).map((s) => [head!, ...s]), ...subsets(rest, k)];
}

const lagrange0 = (xs: bigint[], xi: bigint) => xs.reduce((acc, xj) => (xj === xi ? acc : Fn.mul(acc, Fn.div(xj, Fn.sub(xj, xi)))), 1n);

/**
 * Simulates a reshare: the same group secret under a fresh degree-(t'−1) polynomial, shared among
 * new identifiers. The group key (commitments[0]) is unchanged; every share and verifying share
 * changes.
 */
export function reshareSameSecret(old: Key[], newT: number, newIds: string[]): Key[] {
  const t = old[0]!.public.signers.min;
  const quorum = old.slice(0, t);
  const xs = quorum.map((k) => BigInt('0x' + k.secret.identifier));
  const secret = quorum.reduce((acc, k, i) => Fn.add(acc, Fn.mul(bytesToNumberBE(k.secret.signingShare), lagrange0(xs, xs[i]!))), 0n);
  const poly = FROST.utils.generateSecretPolynomial({ min: newT, max: newIds.length }, numberToBytesBE(secret, 32));
  const evalAt = (x: bigint) => poly.coefficients.reduceRight((acc, c) => Fn.add(Fn.mul(acc, x), c), 0n);
  const shares = newIds.map((id) => evalAt(BigInt('0x' + id)));
  const pub: FrostPublic = {
    signers: { min: newT, max: newIds.length },
    commitments: poly.commitment,
    verifyingShares: Object.fromEntries(newIds.map((id, i) => [id, secp256k1.Point.BASE.multiply(shares[i]!).toBytes(true)])),
  };
  return newIds.map((id, i) => ({ public: pub, secret: { identifier: id, signingShare: numberToBytesBE(shares[i]!, 32) } }));
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

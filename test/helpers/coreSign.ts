/** Runs core FROST signing in-process among chosen signers (honest delivery). */
import { frostAggregate, frostCommit, frostSignShare, frostSigningSession, type Identifier, type SigningRequest } from '../../src/core/index.ts';
import type { Wallet } from './coreDkg.ts';

export function signWith(w: Wallet, signers: readonly Identifier[], request: SigningRequest, requestId = new Uint8Array([7])) {
  const keys = signers.map((id) => w.keys.get(id)!);
  const s = frostSigningSession(keys[0]!.public, { signers: signers.map(w.deviceOf), requestId, request });
  const r1 = keys.map((k) => frostCommit(k, s));
  const commitments = new Map(keys.map((k, i) => [k.identifier, r1[i]!.commitment]));
  const shares = new Map(keys.map((k, i) => [k.identifier, frostSignShare(k, r1[i]!.nonces, s, commitments)]));
  return { session: s, commitments, shares, signature: frostAggregate(keys[0]!.public, s, commitments, shares) };
}

/** All k-subsets of `items` (for small n). */
export function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [head, ...rest] = items;
  return [...subsets(rest, k - 1).map((s) => [head!, ...s]), ...subsets(rest, k)];
}

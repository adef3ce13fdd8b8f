/** Test helpers for the lifecycle tests: typed-error assertions and wallet invariants. */
import { expect } from 'vitest';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { CairnError, checkKeyPackage, frostSigningSession, frostVerify, groupKeyOf, type Identifier } from '../../../src/core/index.ts';
import { Point } from '../../../src/core/curve.ts';
import { lagrangeCoefficient } from '../../../src/core/polynomial.ts';
import { randomDeviceKeys, type Wallet } from '../../helpers/coreDkg.ts';
import { signWith } from '../../helpers/coreSign.ts';
import { promoteAll, type Staging } from './runLifecycle.ts';

export * from './runLifecycle.ts';

export function expectCairn(fn: () => unknown, code: CairnError['code'], culprits?: readonly Identifier[]): CairnError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  return expectCairnError(err, code, culprits);
}

export function expectCairnError(err: unknown, code: CairnError['code'], culprits?: readonly Identifier[]): CairnError {
  expect(err, `expected CairnError ${code}`).toBeInstanceOf(CairnError);
  expect((err as CairnError).code).toBe(code);
  if (culprits) expect([...(err as CairnError).culprits].sort()).toEqual([...culprits].sort());
  return err as CairnError;
}

/** Runs a protocol and promotion honestly, returning the promoted wallet. */
export function promoted(w: Wallet, s: Staging): Wallet {
  expect([...s.aborted.values()]).toEqual([]);
  const p = promoteAll(w, s);
  expect([...p.failed.values()]).toEqual([]);
  return p.wallet!;
}

const testRequest = (tag: number) => ({ type: 'test-message' as const, message: new Uint8Array([tag]) });

/** Signs a test message with exactly these signers and checks the signature under the group key. */
export function signsWith(w: Wallet, signers: readonly Identifier[], tag = 1): boolean {
  const r = signWith(w, signers, testRequest(tag));
  return frostVerify(w.pub, r.session.digest, r.signature);
}

/**
 * The wallet's invariants: every share matches its verifying share, the group key is `groupKey`,
 * sampled t-subsets sign, and t−1 holders can't: the session refuses them and their verifying shares
 * interpolate (Lagrange at 0, public points only) to a point other than the group key.
 */
export function checkWallet(w: Wallet, groupKey: Uint8Array, samples: Identifier[][]): void {
  expect(Point.fromBytes(groupKeyOf(w.pub)).equals(Point.fromBytes(groupKey))).toBe(true);
  expect(w.keys.size).toBe(w.pub.roster.identifiers.length);
  for (const key of w.keys.values()) {
    checkKeyPackage(key);
    expect(key.public.epoch).toBe(w.pub.epoch);
  }
  for (const signers of samples) expect(signsWith(w, signers)).toBe(true);
  const t = w.pub.threshold;
  const few = samples[0]!.slice(0, t - 1);
  expectCairn(() => frostSigningSession(w.pub, { signers: few.map(w.deviceOf), requestId: new Uint8Array([9]), request: testRequest(9) }), 'BAD_PARAMETERS');
  const interpolated = mulAddUnsafe(
    Point,
    few.map((id) => Point.fromBytes(w.pub.verifyingShares[id]!)),
    few.map((id) => lagrangeCoefficient(id, few)),
  );
  expect(interpolated.equals(Point.fromBytes(groupKey))).toBe(false);
}

export { randomDeviceKeys };

/** The session id inside a package header (version, kind, session, sender). */
export const sessionOf = (bytes: Uint8Array): Uint8Array => bytes.slice(2, 34);

/** Sample of t-subsets: the first, the last and a middle one (all of them when few). */
export function sampleSubsets(ids: readonly Identifier[], t: number, pick: (n: number) => number = () => 0): Identifier[][] {
  const sorted = [...ids].sort();
  const middle = pick(Math.max(1, sorted.length - t + 1));
  return [sorted.slice(0, t), sorted.slice(sorted.length - t), sorted.slice(middle, middle + t)].filter((s) => s.length === t);
}

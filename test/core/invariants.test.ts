/**
 * Invariant 1 of docs/invariants.md (the full key never exists in one place, never on the wire) and
 * invariant 5 (every commitment vector has exactly t entries), checked on a real DKG + signing run.
 */
import { describe, expect, it } from 'vitest';
import { Fn } from '../../src/core/curve.ts';
import { bytesToHex } from '../../src/core/encoding.ts';
import {
  dkgPart1,
  dkgPart2,
  dkgPart3,
  encodeKeyPackage,
  encodePublicPackage,
  frostAggregate,
  frostCommit,
  frostSignShare,
  frostSigningSession,
  identifierOf,
  type KeyPackage,
} from '../../src/core/index.ts';
import { lagrangeCoefficient } from '../../src/core/polynomial.ts';
import { randomDeviceKeys } from '../helpers/coreDkg.ts';

describe('invariants', () => {
  it('the group secret appears in no package, no key package and no stored nonce (3-of-5)', () => {
    const t = 3;
    const deviceKeys = randomDeviceKeys(5);
    const ids = deviceKeys.map(identifierOf);
    const walletId = new Uint8Array(32).fill(1);
    const wire: Uint8Array[] = [];
    const r1 = deviceKeys.map((self) => dkgPart1({ walletId, deviceKeys, self, threshold: t, requestId: new Uint8Array([1]) }));
    r1.forEach((r) => wire.push(r.broadcast));
    const r2 = r1.map((p, i) => dkgPart2(p.state, new Map(r1.flatMap((q, j) => (j === i ? [] : [[ids[j]!, q.broadcast] as const])))));
    r2.forEach((r) => wire.push(...r.outgoing.values()));
    const keys: KeyPackage[] = r2.map(
      (p, i) => dkgPart3(p.state, new Map(r2.flatMap((q, j) => (j === i ? [] : [[ids[j]!, q.outgoing.get(ids[i]!)!] as const])))).keyPackage,
    );
    const pub = keys[0]!.public;
    expect(pub.commitments).toHaveLength(t);

    const signers = keys.slice(0, t);
    const s = frostSigningSession(pub, {
      signers: deviceKeys.slice(0, t),
      requestId: new Uint8Array([2]),
      request: { type: 'test-message', message: new Uint8Array([9]) },
    });
    const c = signers.map((k) => frostCommit(k, s));
    const commitments = new Map(signers.map((k, i) => [k.identifier, c[i]!.commitment]));
    wire.push(...commitments.values());
    const shares = new Map(signers.map((k, i) => [k.identifier, frostSignShare(k, c[i]!.nonces, s, commitments)]));
    wire.push(...shares.values(), frostAggregate(pub, s, commitments, shares));

    // Test-only reconstruction, to know what to search for.
    const set = signers.map((k) => k.identifier);
    const secret = signers.reduce((acc, k) => Fn.add(acc, Fn.mul(lagrangeCoefficient(k.identifier, set), Fn.fromBytes(k.signingShare))), 0n);
    const needle = bytesToHex(Fn.toBytes(secret));
    const haystack = [...wire, ...keys.map(encodeKeyPackage), encodePublicPackage(pub)].map(bytesToHex);
    for (const hay of haystack) expect(hay.includes(needle)).toBe(false);
    // …and no single key package holds it.
    for (const k of keys) expect(bytesToHex(k.signingShare)).not.toBe(needle);
  });
});

/** DKG + FROST signing in-process: every t-subset signs, t−1 cannot. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FrostPublic } from '@noble/curves/abstract/frost.js';
import { frost } from '../../src/core/curve.ts';
import {
  CairnError,
  decodeKeyPackage,
  decodePublicPackage,
  encodeKeyPackage,
  encodePublicPackage,
  frostSigningSession,
  frostVerify,
  groupKeyOf,
  publicPackageHash,
  signingDigest,
  toFrostPublic,
  toFrostSecret,
} from '../../src/core/index.ts';
import { bytesToHex } from '../../src/core/encoding.ts';
import { runDkg } from '../helpers/coreDkg.ts';
import { signWith, subsets } from '../helpers/coreSign.ts';

const message = (s: string) => ({ type: 'test-message' as const, message: new TextEncoder().encode(s) });

describe('DKG', () => {
  it.each([
    [2, 3],
    [3, 5],
    [5, 9],
    [8, 15],
  ])('%i-of-%i: every guardian ends with the same public package and a share that matches it', (t, n) => {
    const w = runDkg(t, n);
    const hashes = new Set([...w.keys.values()].map((k) => bytesToHex(publicPackageHash(k.public))));
    expect(hashes.size).toBe(1);
    expect(w.pub.commitments).toHaveLength(t);
    expect(w.pub.epoch).toBe(0);
    expect(Object.keys(w.pub.verifyingShares)).toHaveLength(n);
    for (const key of w.keys.values()) {
      const again = decodeKeyPackage(encodeKeyPackage(key));
      expect(bytesToHex(again.signingShare)).toBe(bytesToHex(key.signingShare));
    }
    expect(bytesToHex(publicPackageHash(decodePublicPackage(encodePublicPackage(w.pub))))).toBe([...hashes][0]);
  });
});

describe('FROST signing', () => {
  it.each([
    [2, 3],
    [3, 5],
    [5, 9],
  ])('%i-of-%i: every t-subset produces a signature that verifies', (t, n) => {
    const w = runDkg(t, n);
    for (const signers of subsets(w.ids, t)) {
      const { signature, session } = signWith(w, signers, message(`pay ${signers.length}`));
      expect(frost.verify(signature, session.digest, groupKeyOf(w.pub))).toBe(true);
      expect(frostVerify(w.pub, session.digest, signature)).toBe(true);
    }
  });

  it('8-of-15: random 8-subsets sign (property)', () => {
    const w = runDkg(8, 15);
    fc.assert(
      fc.property(fc.shuffledSubarray(w.ids, { minLength: 8, maxLength: 8 }), fc.string(), (signers, text) => {
        const { signature, session } = signWith(w, signers, message(text));
        return frostVerify(w.pub, session.digest, signature);
      }),
      { numRuns: 25 },
    );
  });

  it('more than t signers also works', () => {
    const w = runDkg(2, 4);
    const { signature, session } = signWith(w, w.ids.slice(0, 3), message('three of four'));
    expect(frostVerify(w.pub, session.digest, signature)).toBe(true);
  });

  it('t−1 shares cannot produce a valid signature (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.string(), (t, extra, text) => {
        const w = runDkg(t, t + extra);
        const signers = w.ids.slice(0, t - 1);
        // The session refuses outright…
        expect(() => frostSigningSession(w.pub, { signers: signers.map(w.deviceOf), requestId: new Uint8Array(1), request: message(text) })).toThrow(
          CairnError,
        );
        // …and even bypassing it (pretending t−1 suffices), the t−1 shares interpolate the wrong key.
        const digest = signingDigest(message(text));
        const lying: FrostPublic = { ...toFrostPublic(w.pub), signers: { min: Math.max(1, t - 1), max: t + extra } } as FrostPublic;
        if (t - 1 < 2) return true; // noble refuses min < 2; one share alone is a scalar, not the key
        const r1 = signers.map((id) => frost.commit(toFrostSecret(w.keys.get(id)!)));
        const list = r1.map((r) => r.commitments);
        const shares = Object.fromEntries(signers.map((id, i) => [id, frost.signShare(toFrostSecret(w.keys.get(id)!), lying, r1[i]!.nonces, list, digest)]));
        let sig: Uint8Array | undefined;
        try {
          sig = frost.aggregate(lying, list, digest, shares);
        } catch {
          sig = undefined;
        }
        return sig === undefined || !frostVerify(w.pub, digest, sig);
      }),
      { numRuns: 15 },
    );
  });
});

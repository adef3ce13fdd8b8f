/** Fuzzed decoders: random and mutated bytes never throw anything but CairnError. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mutations, onlyCairnErrors } from '../helpers/fuzz.ts';
import {
  CairnError,
  decodeKeyPackage,
  decodePublicPackage,
  decodeSigningNonces,
  decodeSignature,
  encodeKeyPackage,
  encodePublicPackage,
} from '../../src/core/index.ts';
import { decodeDkgRound1, decodeDkgRound2 } from '../../src/core/dkg/dkgPackages.ts';
import { decodeCommitment, decodeSignatureShare } from '../../src/core/frost/frostPackages.ts';
import { runDkg } from '../helpers/coreDkg.ts';
import { signWith } from '../helpers/coreSign.ts';

const w = runDkg(2, 3);
const from = w.ids[0]!;
const session = new Uint8Array(32);
const signed = signWith(w, w.ids.slice(0, 2), { type: 'test-message', message: new Uint8Array([1]) });

const decoders: Record<string, [(b: Uint8Array) => unknown, Uint8Array]> = {
  publicPackage: [(b) => decodePublicPackage(b), encodePublicPackage(w.pub)],
  keyPackage: [(b) => decodeKeyPackage(b), encodeKeyPackage(w.keys.get(from)!)],
  dkgRound1: [(b) => decodeDkgRound1(b, session, from), new Uint8Array(200)],
  dkgRound2: [(b) => decodeDkgRound2(b, session, from), new Uint8Array(200)],
  commitment: [(b) => decodeCommitment(b, signed.session.session, from), signed.commitments.get(from)!],
  share: [(b) => decodeSignatureShare(b, signed.session.session, from), signed.shares.get(from)!],
  signature: [(b) => decodeSignature(b), signed.signature],
  nonces: [(b) => decodeSigningNonces(b), new Uint8Array(130)],
};

describe('decoders', () => {
  for (const [name, [decode, valid]] of Object.entries(decoders)) {
    it(`${name}: random bytes → only CairnError`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (b) => onlyCairnErrors(() => decode(b))),
        { numRuns: 300 },
      );
    });
    it(`${name}: mutated valid bytes → only CairnError`, () => {
      fc.assert(
        fc.property(mutations(valid), (b) => onlyCairnErrors(() => decode(b))),
        { numRuns: 300 },
      );
    });
  }

  it('a valid public package decodes to the same package; trailing bytes are refused', () => {
    const bytes = encodePublicPackage(w.pub);
    expect(decodePublicPackage(bytes).threshold).toBe(2);
    expect(() => decodePublicPackage(Uint8Array.from([...bytes, 0]))).toThrow(CairnError);
  });
});

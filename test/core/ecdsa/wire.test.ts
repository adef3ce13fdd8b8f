/**
 * Byte encodings: a full setup and signing with every message encoded and decoded in transit; a stored setup that
 * round-trips through bytes keeps signing and keeps its ban; decoders reject garbage with typed errors.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePairwiseSetup,
  decodeSetupRound1,
  decodeSetupRound2,
  decodeSignRound1,
  decodeSignRound2,
  decodeSignRound3,
  destroyPairwiseSetup,
  ecdsaSetupRound1,
  ecdsaSetupRound2,
  ecdsaSetupRound3,
  encodePairwiseSetup,
  encodeSetupRound1,
  encodeSetupRound2,
  encodeSignRound1,
  encodeSignRound2,
  encodeSignRound3,
} from '../../../src/core/ecdsa/index.ts';
import { isCairnError } from '../../../src/core/errors.ts';
import { dkgKeys } from '../../helpers/dkgKeys.ts';
import { signInProcess, type SetupTable } from './inProcess.ts';
import { cachedSetups } from './setupCache.ts';

const { ids, keys } = dkgKeys(2, 3);
const [A, B] = [ids[0]!, ids[1]!];

const viaWire = {
  round1: (from: string, _to: string, m: Parameters<typeof encodeSignRound1>[0]) => decodeSignRound1(encodeSignRound1(m), from),
  round2: (from: string, _to: string, m: Parameters<typeof encodeSignRound2>[0]) => decodeSignRound2(encodeSignRound2(m), from),
  round3: (from: string, _to: string, m: Parameters<typeof encodeSignRound3>[0]) => decodeSignRound3(encodeSignRound3(m), from),
};

describe('wire encodings', () => {
  it('setup and signing work with every message sent as bytes; stored setups keep working', () => {
    const context = randomBytes(32);
    const a1 = ecdsaSetupRound1({ self: A, peer: B, context });
    const b1 = ecdsaSetupRound1({ self: B, peer: A, context });
    const a2 = ecdsaSetupRound2(a1.state, decodeSetupRound1(encodeSetupRound1(b1.message), B));
    const b2 = ecdsaSetupRound2(b1.state, decodeSetupRound1(encodeSetupRound1(a1.message), A));
    const sa = ecdsaSetupRound3(a2.state, decodeSetupRound2(encodeSetupRound2(b2.message), B));
    const sb = ecdsaSetupRound3(b2.state, decodeSetupRound2(encodeSetupRound2(a2.message), A));
    const setups: SetupTable = { [A]: { [B]: decodePairwiseSetup(encodePairwiseSetup(sa)) }, [B]: { [A]: decodePairwiseSetup(encodePairwiseSetup(sb)) } };
    signInProcess({ keys, setups, signers: [A, B], digest: randomBytes(32), tamper: viaWire });
  }, 120_000);

  it('a destroyed setup stays destroyed through its stored bytes', () => {
    const s = cachedSetups(ids)[A]![B]!;
    destroyPairwiseSetup(s, 'test');
    const back = decodePairwiseSetup(encodePairwiseSetup(s));
    expect(back.status).toBe('destroyed');
    expect(back.asSender.seeds.every((x) => x === 0)).toBe(true);
  });

  it('rejects wrong length, kind, version and a sender other than the channel’s', () => {
    const setups = cachedSetups(ids);
    let r1: Uint8Array | undefined;
    signInProcess({
      keys,
      setups,
      signers: [A, B],
      digest: randomBytes(32),
      tamper: { round1: (_f, _t, m) => ((r1 ??= encodeSignRound1(m)), m) },
    });
    const bytes = r1!;
    const sender = decodeSignRound1(bytes).from;
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isCairnError(e) ? e.code : 'generic';
      }
      return 'ok';
    };
    expect(code(() => decodeSignRound1(bytes, sender))).toBe('ok');
    expect(code(() => decodeSignRound1(bytes.subarray(1), sender))).toBe('MALFORMED');
    expect(code(() => decodeSignRound1(Uint8Array.of(...bytes, 0), sender))).toBe('MALFORMED');
    expect(code(() => decodeSignRound2(bytes, sender))).toBe('MALFORMED');
    const v2 = bytes.slice();
    v2[0] = 2;
    expect(code(() => decodeSignRound1(v2, sender))).toBe('MALFORMED');
    expect(code(() => decodeSignRound1(bytes, ids[2]!))).toBe('WRONG_SESSION');
  });

  it('fuzz: every decoder turns random bytes into a CairnError, never a generic exception', () => {
    const decoders = [decodeSignRound1, decodeSignRound2, decodeSignRound3, decodeSetupRound1, decodeSetupRound2, decodePairwiseSetup];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: decoders.length - 1 }), fc.uint8Array({ maxLength: 200 }), fc.boolean(), (i, junk, header) => {
        const b = header && junk.length > 2 ? Uint8Array.of(1, [1, 2, 3, 0x11, 0x12, 0x20][i]!, ...junk.subarray(2)) : junk;
        try {
          decoders[i]!(b, A);
        } catch (e) {
          expect(isCairnError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

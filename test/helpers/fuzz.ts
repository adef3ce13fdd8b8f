/** Hostile-bytes helpers for the decoder fuzz tests (test/{core,protocol,net}/…decoders.fuzz.test.ts). */
import fc from 'fast-check';
import { CairnError } from '../../src/core/index.ts';

/** Runs `fn`: a CairnError is the expected refusal, anything else thrown fails the property. */
export function onlyCairnErrors(fn: () => unknown): true {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
  }
  return true;
}

/**
 * Changed copies of a valid encoding, to get past its magic and lengths: a flipped byte, a truncation, a
 * prefix with junk after it, bytes inserted or cut in the middle. Never the valid bytes themselves.
 */
export function mutations(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .oneof(
      fc.tuple(fc.nat(Math.max(0, valid.length - 1)), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const b = valid.slice();
        if (b.length) b[i]! ^= x;
        return b;
      }),
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 40 })).map(([n, tail]) => Uint8Array.from([...valid.subarray(0, n), ...tail])),
      fc
        .tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 8 }), fc.nat(8))
        .map(([at, insert, cut]) => Uint8Array.from([...valid.subarray(0, at), ...insert, ...valid.subarray(at + cut)])),
    )
    .filter((b) => b.length !== valid.length || b.some((x, i) => x !== valid[i]));
}

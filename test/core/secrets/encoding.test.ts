/**
 * Canonical encodings of vault ciphertexts and partial decryptions, fuzzed: decoders never throw
 * anything but CairnError, a decoded value re-encodes to the same bytes, and any mutation that
 * still decodes is refused by the guardian's TDH2 check or the combiner's proof check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors.ts';
import {
  PARTIAL_DECRYPTION_BYTES,
  createPartialDecryption,
  combinePartialDecryptions,
  decodePartialDecryption,
  decodeVaultCiphertext,
  encodePartialDecryption,
  encodeVaultCiphertext,
  encryptVaultItem,
  type VaultItemContext,
} from '../../../src/core/secrets/index.ts';
import { runDkg, utf8 } from './helpers.ts';

const keys = runDkg(2, 3);
const pub = keys[0]!.public;
const [a, b] = keys as [(typeof keys)[0], (typeof keys)[0]];
const context: VaultItemContext = { walletId: 'w-1', itemId: 'note-1', kind: 'note', label: 'Wi-Fi ☕' };
const session = new Uint8Array(32).fill(3);
const ct = encryptVaultItem({ publicKey: pub, context, plaintext: utf8('hunter2') });
const ctBytes = encodeVaultCiphertext(ct);
const partialA = encodePartialDecryption(createPartialDecryption({ key: a, ciphertext: ct, walletId: 'w-1', session }));
const partialB = encodePartialDecryption(createPartialDecryption({ key: b, ciphertext: ct, walletId: 'w-1', session }));
const idA = a.secret.identifier;
const idB = b.secret.identifier;

/** Runs fn; any throw must be a CairnError. Returns the value or undefined. */
function onlyCairn<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
    return undefined;
  }
}

/** Arbitrary mutations of a valid encoding: flip, overwrite, truncate, extend, splice. */
const mutation = (len: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(len - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(len - 1), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(len - 1) }),
    fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  );
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; extra: Uint8Array };
function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = bytes.slice();
  switch (m.kind) {
    case 'flip':
      out[m.at]! ^= 1 << m.bit;
      return out;
    case 'set':
      out[m.at] = m.value;
      return out;
    case 'truncate':
      return out.slice(0, m.at);
    case 'extend':
      return new Uint8Array([...out, ...m.extra]);
  }
}
const same = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((v, i) => v === y[i]);

describe('vault ciphertext encoding', () => {
  it('round-trips byte for byte', () => {
    expect(encodeVaultCiphertext(decodeVaultCiphertext(ctBytes))).toEqual(ctBytes);
  });

  it('random bytes: decode throws only CairnError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        onlyCairn(() => decodeVaultCiphertext(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid header: decode throws only CairnError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        onlyCairn(() => decodeVaultCiphertext(new Uint8Array([1, 1, ...tail])));
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated ciphertexts: decode fails with CairnError, or the guardian refuses (TDH2), or nothing changed', () => {
    fc.assert(
      fc.property(mutation(ctBytes.length), (m) => {
        const bytes = mutate(ctBytes, m);
        const decoded = onlyCairn(() => decodeVaultCiphertext(bytes));
        if (!decoded) return;
        expect(same(encodeVaultCiphertext(decoded), bytes)).toBe(true); // canonical: one value, one encoding
        const partial = onlyCairn(() => createPartialDecryption({ key: a, ciphertext: decoded, walletId: 'w-1', session }));
        if (partial) expect(same(bytes, ctBytes)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses oversize bodies and long strings without reading them', () => {
    const huge = new Uint8Array([1, 1, 0, 0, 1, 0x77, 0, 1, 0x69, 0, 0, ...new Uint8Array(130), 0xff, 0xff, 0xff, 0xff]);
    expect(() => decodeVaultCiphertext(huge)).toThrowError(/sealed length/);
    const longId = new Uint8Array([1, 1, 0, 0xff, 0xff]);
    expect(() => decodeVaultCiphertext(longId)).toThrowError(/walletId length/);
  });

  it('names the sender in decode errors when known', () => {
    const err = onlyCairn(() => {
      decodeVaultCiphertext(new Uint8Array([9]), ['ab'.repeat(32)]);
      return 'decoded';
    });
    expect(err).toBeUndefined();
    expect(() => decodeVaultCiphertext(new Uint8Array([9]), ['ab'.repeat(32)])).toThrowError(/Culprit: abab/);
  });
});

describe('partial decryption encoding', () => {
  it('is fixed length and round-trips', () => {
    expect(partialA.length).toBe(PARTIAL_DECRYPTION_BYTES);
    expect(encodePartialDecryption(decodePartialDecryption(partialA, idA))).toEqual(partialA);
  });

  it('random bytes: decode throws only CairnError naming the sender', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodePartialDecryption(bytes, idA);
        } catch (err) {
          expect(err).toBeInstanceOf(CairnError);
          expect((err as CairnError).culprits).toEqual([idA]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated partials: decode or combine fails naming the sender, unless nothing changed', () => {
    fc.assert(
      fc.property(mutation(partialB.length), (m) => {
        const bytes = mutate(partialB, m);
        try {
          combinePartialDecryptions({ publicKey: pub, ciphertext: ct, session, partials: { [idA]: partialA, [idB]: bytes } });
          expect(same(bytes, partialB)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(CairnError);
          expect((err as CairnError).culprits).toEqual([idB]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

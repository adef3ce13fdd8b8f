import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from '@noble/hashes/utils.js';
import { openRecord, sealRecord } from '../../src/device/sealedRecord.ts';
import { CairnError, isCairnError } from '../../src/core/errors.ts';

const key = randomBytes(32);
const plain = new TextEncoder().encode('a key package');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof CairnError)) throw e;
    return e.code;
  }
}

describe('sealed records', () => {
  it('round-trips and hides the plaintext', () => {
    const sealed = sealRecord(key, 'wallet/w1/current', plain);
    expect(Buffer.from(sealed).includes(Buffer.from(plain))).toBe(false);
    expect(openRecord(key, 'wallet/w1/current', sealed)).toEqual(plain);
  });

  it('refuses a tampered record (every byte position)', () => {
    const sealed = sealRecord(key, 'r', plain);
    for (let i = 0; i < sealed.length; i++) {
      const t = sealed.slice();
      t[i]! ^= 0x01;
      expect(code(() => openRecord(key, 'r', t))).toMatch(/BAD_SIGNATURE|MALFORMED/);
    }
  });

  it('refuses a record swapped under another name (name is associated data)', () => {
    const staged = sealRecord(key, 'wallet/w1/staged/2', plain);
    expect(code(() => openRecord(key, 'wallet/w1/current', staged))).toBe('BAD_SIGNATURE');
  });

  it('refuses the wrong key, truncation and an unknown version', () => {
    const sealed = sealRecord(key, 'r', plain);
    expect(code(() => openRecord(randomBytes(32), 'r', sealed))).toBe('BAD_SIGNATURE');
    expect(code(() => openRecord(key, 'r', sealed.slice(0, 20)))).toBe('MALFORMED');
    const v2 = sealed.slice();
    v2[3] = 2;
    expect(code(() => openRecord(key, 'r', v2))).toBe('MALFORMED');
  });

  it('opening arbitrary bytes throws only CairnError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          openRecord(key, 'r', bytes);
          return false;
        } catch (e) {
          return isCairnError(e);
        }
      }),
    );
  });
});

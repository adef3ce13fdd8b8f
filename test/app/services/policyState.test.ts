import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../../../src/core/errors.ts';
import { toHex } from '../../../src/device/byteCodec.ts';
import { MAX_REMEMBERED, decodePolicyState, encodePolicyState } from '../../../src/app/services/policyState.ts';

const id = () => toHex(randomBytes(32));

describe('policy state record (first-seen times and held approvals survive a reload)', () => {
  it('round-trips first-seen times and held approvals', () => {
    const a = id(),
      b = id(),
      c = id();
    const state = {
      seen: new Map([
        [a, 1_700_000_000_000],
        [b, 1_700_000_360_000],
      ]),
      held: new Set([b, c]),
    };
    const back = decodePolicyState(encodePolicyState(state));
    expect(back.seen).toEqual(state.seen);
    expect(back.held).toEqual(state.held);
  });

  it('keeps every held approval and the newest first-seen times when it has to drop some', () => {
    const held = id();
    const seen = new Map(Array.from({ length: MAX_REMEMBERED + 50 }, (_, i) => [id(), 1_000 + i] as const));
    seen.set(held, 1); // the oldest of all, but held
    const back = decodePolicyState(encodePolicyState({ seen, held: new Set([held]) }));
    expect(back.held).toEqual(new Set([held]));
    expect(back.seen.size).toBe(MAX_REMEMBERED);
    const oldestKept = Math.min(...[...back.seen.values()].filter((t) => t !== 1));
    expect(oldestKept).toBe(1_000 + 51); // the 51 oldest unheld ones went
  });

  it('refuses malformed records with a CairnError only', () => {
    const good = encodePolicyState({ seen: new Map([[id(), 5]]), held: new Set() });
    const badFlag = good.slice();
    badFlag[badFlag.length - 1] = 2;
    for (const bad of [new Uint8Array(0), Uint8Array.of(2, 0, 0), good.subarray(0, good.length - 1), badFlag, Uint8Array.of(...good, 0)])
      expect(() => decodePolicyState(bad)).toThrow(CairnError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodePolicyState(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CairnError);
        }
      }),
    );
  });
});

/**
 * Property: any sequence of refresh / reshare / repair / enroll on any (t, n) up to 15 keeps the
 * group key, keeps every share on its verifying share, lets sampled t-subsets sign and never t−1.
 * Runs are few and large sizes rare: the machine has two shared cores.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupKeyOf, identifierOf, type Identifier } from '../../../src/core/index.ts';
import { runDkg, type Wallet } from '../../helpers/coreDkg.ts';
import { checkWallet, promoted, randomDeviceKeys, runEnroll, runRefresh, runRepairFlow, runReshare, sampleSubsets } from './helpers.ts';

type Step = { kind: 'refresh' | 'reshare' | 'repair' | 'enroll'; a: number; b: number; c: number };

const MAX_N = 15;
const size = fc.oneof({ arbitrary: fc.integer({ min: 2, max: 6 }), weight: 5 }, { arbitrary: fc.integer({ min: 7, max: MAX_N }), weight: 1 });
const step = fc.record({ kind: fc.constantFrom('refresh', 'reshare', 'repair', 'enroll'), a: fc.nat(), b: fc.nat(), c: fc.nat() }) as fc.Arbitrary<Step>;

/** `k` distinct items of `ids`, chosen by `seed`. */
function pickSome(ids: readonly Identifier[], k: number, seed: number): Identifier[] {
  const pool = [...ids].sort();
  const out: Identifier[] = [];
  for (let i = 0; i < k; i++) out.push(pool.splice((seed + i * 7) % pool.length, 1)[0]!);
  return out;
}

function apply(w: Wallet, s: Step): Wallet {
  const t = w.pub.threshold;
  const n = w.ids.length;
  switch (s.kind) {
    case 'refresh': {
      const keep = n > t && s.a % 3 === 0 ? n - 1 : n; // sometimes drop one holder
      const w1 = promoted(w, runRefresh(w, { participants: pickSome(w.ids, keep, s.b) }));
      expect(w1.pub.threshold).toBe(t);
      return w1;
    }
    case 'reshare': {
      const kept = pickSome(w.ids, Math.min(n, 1 + (s.a % n)), s.b).map(w.deviceOf);
      const added = randomDeviceKeys(Math.min(MAX_N - kept.length, s.c % 3));
      const newKeys = [...kept, ...added];
      if (newKeys.length < 2) newKeys.push(...randomDeviceKeys(2 - newKeys.length));
      const newThreshold = 2 + (s.c % (newKeys.length - 1));
      const dealers = pickSome(w.ids, Math.min(n, t + (s.a % 2)), s.c);
      const w1 = promoted(w, runReshare(w, { dealers, newDeviceKeys: newKeys, newThreshold }));
      expect(w1.pub.threshold).toBe(newThreshold);
      expect([...w1.ids].sort()).toEqual(newKeys.map(identifierOf).sort());
      return w1;
    }
    case 'repair': {
      if (n <= t) return w; // needs t helpers besides the lost one
      const [lost] = pickSome(w.ids, 1, s.a);
      const helpers = pickSome(
        w.ids.filter((id) => id !== lost),
        t,
        s.b,
      );
      const run = runRepairFlow(w, { mode: 'repair', target: w.deviceOf(lost!), helpers });
      expect(run.result?.mode === 'repair' && run.result.keyPackage.signingShare).toEqual(w.keys.get(lost!)!.signingShare);
      return w;
    }
    case 'enroll': {
      if (n >= MAX_N) return w;
      const w1 = promoted(w, runEnroll(w, { helpers: pickSome(w.ids, t, s.a) }));
      expect(w1.pub.commitments).toEqual(w.pub.commitments);
      return w1;
    }
  }
}

describe('lifecycle property', () => {
  it('random (t, n) and random sequences of three steps keep the key and the threshold semantics', () => {
    fc.assert(
      fc.property(
        size.chain((n) =>
          fc.record({ n: fc.constant(n), t: fc.integer({ min: 2, max: n }), steps: fc.array(step, { minLength: 3, maxLength: 3 }), pick: fc.nat() }),
        ),
        ({ n, t, steps, pick }) => {
          let w = runDkg(t, n);
          const groupKey = groupKeyOf(w.pub);
          for (const s of steps) {
            const before = w.pub.epoch;
            const next = apply(w, s);
            expect(next.pub.epoch).toBe(next === w ? before : before + 1); // repair (and skipped steps) keep the epoch
            w = next;
            checkWallet(
              w,
              groupKey,
              sampleSubsets(w.ids, w.pub.threshold, (k) => pick % k),
            );
          }
        },
      ),
      { numRuns: 10 },
    );
  }, 600_000);
});

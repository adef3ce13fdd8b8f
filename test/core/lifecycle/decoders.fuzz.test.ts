/** Fuzzed lifecycle decoders: random and mutated packages never throw anything but CairnError. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mutations, onlyCairnErrors } from '../../helpers/fuzz.ts';
import { checkConfirmations, type Identifier } from '../../../src/core/index.ts';
import { decodeRefreshRound1, decodeRefreshRound2 } from '../../../src/core/lifecycle/refreshPackages.ts';
import { decodeReshareRound1, decodeReshareRound2 } from '../../../src/core/lifecycle/resharePackages.ts';
import { decodeRepairDelta, decodeRepairSigma } from '../../../src/core/lifecycle/repairPackages.ts';
import { decodeConfirmation } from '../../../src/core/lifecycle/stagedEpoch.ts';
import { runDkg } from '../../helpers/coreDkg.ts';
import { randomDeviceKeys, runRefresh, runRepairFlow, runReshare, sessionOf, type Message } from './helpers.ts';

const w = runDkg(2, 3);
const seen = new Map<string, Message>();
const record = (m: Message) => (seen.has(m.stage) ? m.bytes : (seen.set(m.stage, m), m.bytes));
const refresh = runRefresh(w, { tamper: record });
runReshare(w, { newDeviceKeys: randomDeviceKeys(3), newThreshold: 2, tamper: record });
runRepairFlow(w, { mode: 'repair', target: w.deviceOf(w.ids[2]!), helpers: w.ids.slice(0, 2), tamper: record });
const staged = [...refresh.staged.values()][0]!;
const confirmer = [...refresh.staged.keys()].find((id) => id !== staged.key.identifier)!;

const pkg = (stage: string) => seen.get(stage)!;
const args = (stage: string): [Uint8Array, Identifier] => [sessionOf(pkg(stage).bytes), pkg(stage).from];
const decoders: Record<string, [(b: Uint8Array) => unknown, Uint8Array]> = {
  refreshRound1: [(b) => decodeRefreshRound1(b, ...args('refresh-round1')), pkg('refresh-round1').bytes],
  refreshRound2: [(b) => decodeRefreshRound2(b, ...args('refresh-round2')), pkg('refresh-round2').bytes],
  reshareRound1: [(b) => decodeReshareRound1(b, ...args('reshare-round1')), pkg('reshare-round1').bytes],
  reshareRound2: [(b) => decodeReshareRound2(b, ...args('reshare-round2')), pkg('reshare-round2').bytes],
  repairDelta: [(b) => decodeRepairDelta(b, ...args('repair-delta'), { helpers: 2, withDelta: true }), pkg('repair-delta').bytes],
  repairCommitments: [(b) => decodeRepairDelta(b, ...args('repair-commitments'), { helpers: 2, withDelta: false }), pkg('repair-commitments').bytes],
  repairSigma: [(b) => decodeRepairSigma(b, ...args('repair-sigma')), pkg('repair-sigma').bytes],
  confirmation: [(b) => decodeConfirmation(b, staged.session, confirmer), refresh.staged.get(confirmer)!.confirmation],
};

describe('lifecycle decoders', () => {
  for (const [name, [decode, valid]] of Object.entries(decoders)) {
    it(`${name}: the valid package decodes; random and mutated bytes → only CairnError`, () => {
      expect(() => decode(valid)).not.toThrow();
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyCairnErrors(() => decode(b))),
        { numRuns: 150 },
      );
      fc.assert(
        fc.property(mutations(valid), (b) => onlyCairnErrors(() => decode(b))),
        { numRuns: 150 },
      );
    });
  }

  it('a mutated confirmation is refused naming its sender, and the staged epoch is unchanged', () => {
    const confirmations = new Map([...refresh.staged].filter(([id]) => id !== staged.key.identifier).map(([id, s]) => [id, s.confirmation]));
    fc.assert(
      fc.property(mutations(confirmations.get(confirmer)!), (b) => {
        const bad = new Map(confirmations).set(confirmer, b);
        // Every changed confirmation is refused (passing silently would hide an accepted forgery).
        expect(() => checkConfirmations(staged, bad)).toThrow(expect.objectContaining({ culprits: expect.arrayContaining([confirmer]) }));
      }),
      { numRuns: 100 },
    );
    expect(() => checkConfirmations(staged, confirmations)).not.toThrow();
  });
});

/**
 * Share-lifecycle figures, all parties in-process (every round of every party, then every party's
 * confirmation check and promotion), medians:
 * - refresh.3of5.allPartiesMs, refresh.8of15.allPartiesMs: zero-constant refresh among all holders.
 * - reshare.3of5to4of7.allPartiesMs: 3 dealers → 7 new holders (2 of them old), t 3 → 4.
 * - repair.3of5.allPartiesMs: 3 helpers restore a lost holder's share (same epoch, no promotion).
 */
import { randomDeviceKeys, runDkg, type Wallet } from '../test/helpers/coreDkg.ts';
import { promoteAll, runRefresh, runRepairFlow, runReshare, type Staging } from '../test/core/lifecycle/runLifecycle.ts';
import { medianMs } from './util.ts';

function promoteOrThrow(w: Wallet, s: Staging): void {
  if (s.aborted.size) throw new Error('lifecycle bench: a party aborted');
  if (!promoteAll(w, s).wallet) throw new Error('lifecycle bench: promotion failed');
}

export async function run(): Promise<Record<string, number>> {
  const w5 = runDkg(3, 5);
  const refresh3of5 = await medianMs(() => promoteOrThrow(w5, runRefresh(w5)), { runs: 15, warmup: 2 });

  const newKeys = [...w5.deviceKeys.slice(0, 2), ...randomDeviceKeys(5)];
  const reshare = await medianMs(() => promoteOrThrow(w5, runReshare(w5, { newDeviceKeys: newKeys, newThreshold: 4 })), { runs: 15, warmup: 2 });

  const lost = w5.ids[4]!;
  const repair = await medianMs(
    () => {
      const r = runRepairFlow(w5, { mode: 'repair', target: w5.deviceOf(lost) });
      if (r.result?.mode !== 'repair') throw new Error('lifecycle bench: repair failed');
    },
    { runs: 15, warmup: 2 },
  );

  const w15 = runDkg(8, 15);
  const refresh8of15 = await medianMs(() => promoteOrThrow(w15, runRefresh(w15)), { runs: 5, warmup: 1 });

  return {
    'refresh.3of5.allPartiesMs': refresh3of5,
    'reshare.3of5to4of7.allPartiesMs': reshare,
    'repair.3of5.allPartiesMs': repair,
    'refresh.8of15.allPartiesMs': refresh8of15,
  };
}

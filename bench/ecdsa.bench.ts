/**
 * DKLs23 threshold ECDSA figures, all parties in one process (in-memory message passing, no network):
 *   ecdsa.setup.2of3Ms  — pairwise setups for all 3 pairs of a 2-of-3 group (base OTs + zero seeds)
 *   ecdsa.setup.pairMs  — one pair's setup (both parties' CPU)
 *   ecdsa.2of3.signMs   — one 2-of-3 signature (3 rounds, both parties' CPU)
 *   ecdsa.3of5.signMs   — one 3-of-5 signature
 * Reference point: Silence Labs' native Rust DKLs23 reports ≈ 9.9 ms for 2-of-3 (dsg-3x2, same in-process setting).
 * The figures are CPU time of this process (user + system, medians), not wall time: everything here is synchronous
 * and single-threaded, and on the shared 2-core box wall time mostly measured the other jobs.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { dkgKeys } from '../test/helpers/dkgKeys.ts';
import { setupAll, setupPair, signInProcess } from '../test/core/ecdsa/inProcess.ts';
import { medianCpuMs as medianMs } from './util.ts';

export async function run(): Promise<Record<string, number>> {
  const k23 = dkgKeys(2, 3, 'bench');
  const setupMs = await medianMs(() => setupAll(k23.ids, randomBytes(32)), { runs: 3, warmup: 0 });
  const pairMs = await medianMs(() => setupPair(k23.ids[0]!, k23.ids[1]!, randomBytes(32)), { runs: 3, warmup: 0 });
  const s23 = setupAll(k23.ids, randomBytes(32));
  const sign23 = await medianMs(() => signInProcess({ keys: k23.keys, setups: s23, signers: k23.ids.slice(0, 2), digest: randomBytes(32) }), {
    runs: 30,
    warmup: 5,
  });
  const k35 = dkgKeys(3, 5, 'bench');
  const signers35 = k35.ids.slice(0, 3);
  const s35 = setupAll(signers35, randomBytes(32));
  const sign35 = await medianMs(() => signInProcess({ keys: k35.keys, setups: s35, signers: signers35, digest: randomBytes(32) }), {
    runs: 20,
    warmup: 3,
  });
  return {
    'ecdsa.setup.2of3Ms': setupMs,
    'ecdsa.setup.pairMs': pairMs,
    'ecdsa.2of3.signMs': sign23,
    'ecdsa.3of5.signMs': sign35,
    'ecdsa.2of3.signVsSilenceRustRatio': Math.round((sign23 / 9.9) * 10) / 10,
  };
}

/**
 * lifecycle.e2e.approveToCommittedMs — 3 guardians in Chromium over WebRTC (the app itself, the
 * devnet registry on anvil): from the last approval of a key change (a second guardian approving the
 * removal of a third) to the new epoch committed on chain. The Playwright spec
 * e2e/key-change-approval.spec.ts measures it on each run (and checks the ordering); this runs it a
 * few times on free ports and takes the median of the figure it prints.
 */
import { spawnSync } from 'node:child_process';
import { freePort, median } from './util.ts';

const RUNS = 3;

export async function run(): Promise<Record<string, number>> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = async () => String(await freePort());
    const env = {
      ...process.env,
      CAIRN_E2E_APP_PORT: await port(),
      CAIRN_E2E_SIGNALING_PORT: await port(),
      CAIRN_E2E_ANVIL_PORT: await port(),
      CAIRN_E2E_BUNDLER_PORT: await port(),
      CAIRN_E2E_TURN_PORT: await port(),
    };
    const res = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', 'e2e/key-change-approval.spec.ts', '--reporter=line'], {
      env,
      encoding: 'utf8',
    });
    const figure = /\[figure\] lifecycle\.e2e\.approveToCommittedMs=(\d+)/.exec(res.stdout ?? '');
    if (res.status !== 0 || !figure) throw new Error(`the key-change spec failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
    samples.push(Number(figure[1]));
  }
  return { 'lifecycle.e2e.approveToCommittedMs': median(samples) };
}

/**
 * Family vault over the protocol layer (memory hub, no network delay, in one process):
 * - vault.3of5.runnerOpenMs: from the requester's `vault-request` to the plaintext on its device —
 *   the log entries (request, two approvals), the vault-open session over the round-runner with
 *   per-session encryption of each partial to the requester, verification and combination.
 *   The 5 devices' CPU work all lands on this one core, as in `vault.3of5.openMs`.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { createMemoryHub, createWalletAmong, makeDevices, ManualClock, until } from '../test/protocol/helpers.ts';
import { medianMs } from './util.ts';

export async function run(): Promise<Record<string, number>> {
  const hub = createMemoryHub({ delayMs: () => 0, seed: 1 });
  const clock = new ManualClock();
  const devices = await makeDevices(hub, clock, 5);
  await createWalletAmong(devices, 3);
  await Promise.all(devices.map((d) => d.guardian.whenReady()));
  const [requester, , b, , e] = devices;
  const item = requester!.guardian.secrets().store({ itemId: 'bench', kind: 'note', label: 'Safe combination', plaintext: utf8ToBytes('12-34-56') });
  await hub.settle();
  const asked = new Set<string>();
  const runnerOpenMs = await medianMs(
    async () => {
      const { requestId, plaintext } = await requester!.guardian.secrets().request(item.blobId);
      if (asked.has(requestId)) throw new Error('vault bench: the same request twice'); // must be a new opening each run
      asked.add(requestId);
      let opened = false;
      void plaintext.then(() => (opened = true));
      await hub.settle();
      await b!.guardian.secrets().approve(requestId);
      await e!.guardian.secrets().approve(requestId);
      await until(hub, clock, () => opened, 0);
    },
    { runs: 9, warmup: 1 },
  );
  for (const d of devices) await d.guardian.close();
  return { 'vault.3of5.runnerOpenMs': runnerOpenMs };
}

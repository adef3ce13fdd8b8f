/**
 * A reload after a signature: the device's log (IndexedDB in the browser) still shows the request
 * approved and its signer set announced, but the run is over. The reopened device must not start
 * that session again — doing so timed out and wrote a fresh `blame` naming the others on every
 * reload ("reported a guardian that did not answer in time" ×4 in Activity, issue 16).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryHub, createWalletAmong, ManualClock, until } from './helpers.ts';
import { makeReloadableDevice, reopenSettled, signTogether } from './reloadable.ts';

describe('a reload after signing', () => {
  it('the reopened signer and requester start no run for the signed request, so nobody is blamed', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 81 });
    const clock = new ManualClock();
    const devices = [await makeReloadableDevice(hub, clock, 'g1'), await makeReloadableDevice(hub, clock, 'g2'), await makeReloadableDevice(hub, clock, 'g3')];
    const walletId = await createWalletAmong(devices, 2);
    await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
    const [a, b] = devices;
    await signTogether(hub, clock, a!, b!, 'once is enough');
    const envelopes = () =>
      a!.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'envelope').length;
    const before = envelopes();
    for (const d of [a!, b!]) {
      await d.reload({ keepDoc: true });
      await reopenSettled(hub, clock, d, walletId);
    }
    await until(hub, clock, () => false, 3).catch(() => undefined); // three round timeouts pass
    for (const d of devices)
      expect(
        d.guardian
          .log()!
          .entries()
          .filter((e) => e.kind === 'blame'),
      ).toEqual([]);
    expect(envelopes()).toBe(before);
  });
});

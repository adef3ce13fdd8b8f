import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify, decodePublicPackage } from '../../src/core/index.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import { createMemoryHub, createWalletAmong, makeDevices, ManualClock, until } from './helpers.ts';

describe('guardians over the memory hub', () => {
  it('five devices: invite → join → DKG → sign → sign', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 3, seed: 7 });
    const clock = new ManualClock();
    const devices = await makeDevices(hub, clock, 5);
    const walletId = await createWalletAmong(devices, 3);
    const infos = await Promise.all(devices.map((d) => d.guardian.whenReady()));
    expect(new Set(infos.map((i) => i.groupKey)).size).toBe(1);
    for (const d of devices) {
      const rec = await getCurrentEpoch(d.store, walletId);
      expect(rec?.epoch).toBe(0);
      expect(decodePublicPackage(rec!.publicPackage).threshold).toBe(3);
    }
    for (const msg of ['first', 'second']) {
      const { requestId, signature } = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes(msg) });
      await hub.settle();
      await devices[2]!.guardian.approve(requestId);
      await devices[4]!.guardian.approve(requestId);
      let done = false;
      void signature.then(() => (done = true));
      await until(hub, clock, () => done, 0);
      const res = await signature;
      expect(frostVerify(infos[0]!.pub, res.digest, res.signature)).toBe(true);
    }
  });
});

/**
 * Scale: 15 guardians create a wallet and sign; 100 sign requests queued at once all complete, and
 * every device ends with the same log (no lost entry). Each simulated device verifies every log
 * entry itself, as a real one would, so the in-process cost grows with devices × entries: the 100
 * requests run on a 2-of-3 wallet, the 15-guardian wallet signs a few requests with varied quorums.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify } from '../../src/core/index.ts';
import type { FrostSignResult } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevices, ManualClock, until, type Device } from './helpers.ts';

async function readyWallet(n: number, t: number, seed: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const devices = await makeDevices(hub, clock, n);
  await createWalletAmong(devices, t);
  let ready = 0;
  devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
  await until(hub, clock, () => ready === n, 0);
  return { hub, clock, devices };
}

const logIds = (d: Device) => d.guardian.log()!.entries().map((e) => e.id).sort().join();

describe('scale', () => {
  it('15 guardians (t = 4): DKG, then signatures by different quorums', { timeout: 240_000 }, async () => {
    const { hub, clock, devices } = await readyWallet(15, 4, 21);
    const pub = devices[0]!.guardian.wallet()!.pub;
    expect(pub.roster.deviceKeys).toHaveLength(15);
    for (let k = 0; k < 2; k++) {
      const requester = devices[k * 4]!;
      const { requestId, signature } = await requester.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes(`r${k}`) });
      await hub.settle();
      for (const d of devices.slice(k * 4 + 1, k * 4 + 4)) await d.guardian.approve(requestId);
      let done = false;
      void signature.then(() => (done = true));
      await until(hub, clock, () => done, 0);
      const res = await signature;
      expect(frostVerify(pub, res.digest, res.signature)).toBe(true);
    }
    const ids = logIds(devices[0]!);
    for (const d of devices) expect(logIds(d)).toBe(ids);
  });

  it('100 queued sign requests all complete, with no lost entry', { timeout: 240_000 }, async () => {
    const { hub, clock, devices } = await readyWallet(3, 2, 22);
    const [a, b] = devices as [Device, Device];
    const pending: { requestId: string; signature: Promise<FrostSignResult> }[] = [];
    for (let i = 0; i < 100; i++) pending.push(await a.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes(`queued ${i}`) }));
    await hub.settle();
    for (const p of pending) await b.guardian.approve(p.requestId);
    let done = 0;
    pending.forEach((p) => void p.signature.then(() => done++));
    await until(hub, clock, () => done === 100, 0);
    const pub = a.guardian.wallet()!.pub;
    const results = await Promise.all(pending.map((p) => p.signature));
    expect(new Set(results.map((r) => Buffer.from(r.signature).toString('hex'))).size).toBe(100);
    for (const r of results) expect(frostVerify(pub, r.digest, r.signature)).toBe(true);
    const ids = logIds(a);
    for (const d of devices) expect(logIds(d)).toBe(ids);
    expect(a.guardian.requests().filter((r) => r.result)).toHaveLength(100);
  });
});

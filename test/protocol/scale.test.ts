/**
 * Scale: 15 guardians (t = 2, to keep the in-process run near a minute) create a wallet; 100 sign requests are queued at once and approved
 * by two of three online guardians (alternating quorums) while the other twelve are offline (as most of a big circle usually is); all
 * 100 complete, and guardians that come back catch up with exactly the same log (no lost entry).
 * Each simulated device verifies every log entry itself, as a real one would, so the in-process
 * cost grows with devices × entries; that is why twelve stay offline during the burst.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify } from '../../src/core/index.ts';
import type { FrostSignResult } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevices, ManualClock, until, type Device } from './helpers.ts';

const logIds = (d: Device) =>
  d.guardian
    .log()!
    .entries()
    .map((e) => e.id)
    .sort()
    .join();

describe('scale', () => {
  it('15 guardians, 100 queued sign requests: all complete, no entry lost', { timeout: 600_000 }, async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 21 });
    const clock = new ManualClock();
    const devices = await makeDevices(hub, clock, 15);
    await createWalletAmong(devices, 2);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 15, 0);
    const pub = devices[0]!.guardian.wallet()!.pub;
    expect(pub.roster.deviceKeys).toHaveLength(15);

    const [a, b, c] = devices as [Device, Device, Device];
    const away = devices.slice(3);
    for (const d of away) d.peer!.setOnline(false);
    const pending: { requestId: string; signature: Promise<FrostSignResult> }[] = [];
    for (let i = 0; i < 100; i++) pending.push(await a.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes(`queued ${i}`) }));
    await hub.settle();
    for (const [i, p] of pending.entries()) await (i % 2 ? b : c).guardian.approve(p.requestId); // quorums alternate
    let done = 0;
    pending.forEach((p) => void p.signature.then(() => done++));
    await until(hub, clock, () => done === 100, 0);
    const results = await Promise.all(pending.map((p) => p.signature));
    expect(new Set(results.map((r) => Buffer.from(r.signature).toString('hex'))).size).toBe(100);
    for (const r of results) expect(frostVerify(pub, r.digest, r.signature)).toBe(true);
    expect(a.guardian.requests().filter((r) => r.result)).toHaveLength(100);

    for (const d of away.slice(0, 2)) d.peer!.setOnline(true);
    await hub.settle();
    const ids = logIds(a);
    expect(ids.split(',').length).toBeGreaterThanOrEqual(100 * 7);
    for (const d of [a, b, c, ...away.slice(0, 2)]) expect(logIds(d)).toBe(ids);
    for (const d of away.slice(0, 2)) expect(d.guardian.requests()).toHaveLength(100);
  });
});

/**
 * More than t guardians approving at once: approvals reach devices in different orders, yet all
 * sign with one announced signer set, on the first attempt (no timeout, no blame).
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { QUORUM_LOG_KIND } from '../../src/protocol/signingRequestCodec.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

describe('signing quorum', () => {
  it('3 of 3 approve concurrently in a 2-of-3 wallet: one announced quorum, signed at the first attempt', async () => {
    const hub = createMemoryHub({ delayMs: 8, seed: 11 }); // random per-message delays reorder deliveries
    const clock = new ManualClock();
    const logs: RequestLog[] = [];
    const keep = (log: RequestLog) => (logs.push(log), log);
    const devices = [
      await makeDevice(hub, clock, 'a', { wrapLog: keep }),
      await makeDevice(hub, clock, 'b', { wrapLog: keep }),
      await makeDevice(hub, clock, 'c', { wrapLog: keep }),
    ];
    await createWalletAmong(devices, 2);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 3, 0);
    const [a, b, c] = devices as [Device, Device, Device];

    const { requestId, signature } = await a.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('all at once') });
    await hub.settle();
    await Promise.all([b.guardian.approve(requestId), c.guardian.approve(requestId)]);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0); // 0 timeouts allowed: it must not need a retry
    for (const log of logs) {
      const kinds = log.entries().map((e) => e.kind);
      expect(kinds.filter((k) => k === QUORUM_LOG_KIND)).toHaveLength(1);
      expect(kinds.filter((k) => k === 'blame')).toHaveLength(0);
    }
  });
});

/**
 * Reshare through the runner: 5 guardians (t = 3) reshare to 4 (t = 2) — the same group key, the
 * leaver's share deleted, the new quorum of two signs; a dealer dropping out leaves the old epoch.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { type CairnError, frostVerify } from '../../src/core/index.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { decodeEnvelope, decodeEnvelopeBatch } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

async function wallet(dropAtReshareRound?: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 41 });
  const clock = new ManualClock();
  let armed = dropAtReshareRound !== undefined;
  const dropper = (log: RequestLog, d: Device): RequestLog => ({
    ...log,
    append(kind, body) {
      if (armed && kind === 'envelope') {
        const env = decodeEnvelope(decodeEnvelopeBatch(body)[0]!);
        if (env.protocol === 'reshare' && env.round === dropAtReshareRound) {
          armed = false;
          d.peer!.setOnline(false);
        }
      }
      return log.append(kind, body);
    },
  });
  const devices: Device[] = [];
  for (let i = 0; i < 5; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`, i === 4 ? { wrapLog: dropper } : {}));
  const walletId = await createWalletAmong(devices, 3);
  let ready = 0;
  devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
  await until(hub, clock, () => ready === 5, 0);
  return { hub, clock, devices, walletId };
}

describe('reshare', () => {
  it('5 guardians (t = 3) → 4 guardians (t = 2): same key, the leaver’s share gone, two sign', async () => {
    const { hub, clock, devices, walletId } = await wallet();
    const groupKey = devices[0]!.guardian.wallet()!.groupKey;
    const leaver = devices[4]!;
    const stay = devices.slice(0, 4);
    let promoted = 0;
    let left = 0;
    devices.forEach((d) => d.guardian.on((e) => (e.type === 'epoch' ? promoted++ : e.type === 'left' ? left++ : 0)));
    // Every holder deals by default, the leaver too: it then sees the confirmations and deletes its share.
    void devices[1]!.guardian.reshare(
      stay.map((d) => d.identity.publicKey),
      2,
    );
    await until(hub, clock, () => promoted === 4 && left === 1, 0);
    for (const d of stay) {
      const w = d.guardian.wallet()!;
      expect([w.pub.epoch, w.pub.threshold, w.pub.roster.deviceKeys.length, w.groupKey]).toEqual([1, 2, 4, groupKey]);
      expect((await getCurrentEpoch(d.store, walletId))!.epoch).toBe(1);
    }
    expect(leaver.guardian.wallet()).toBeUndefined();
    expect(await getCurrentEpoch(leaver.store, walletId)).toBeUndefined();

    const { requestId, signature } = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('two of four') });
    await hub.settle();
    await devices[3]!.guardian.approve(requestId);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    const res = await signature;
    expect(res.signers).toHaveLength(2);
    expect(frostVerify(devices[0]!.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);
  });

  it('a dealer dropping out aborts it naming that dealer; the old epoch stays and signs', async () => {
    const { hub, clock, devices, walletId } = await wallet(2);
    const dropped = devices[4]!;
    let settled: unknown;
    void devices[0]!.guardian
      .reshare(
        devices.slice(0, 4).map((d) => d.identity.publicKey),
        2,
      )
      .then(
        () => (settled = 'promoted'),
        (e: unknown) => (settled = e),
      );
    await until(hub, clock, () => settled !== undefined);
    expect((settled as CairnError).culprits).toEqual([dropped.identity.publicKey]);
    for (const d of devices.slice(0, 4)) {
      expect((await getCurrentEpoch(d.store, walletId))!.epoch).toBe(0);
      expect([...d.backend.raw.keys()].filter((k) => k.includes('/staged/'))).toEqual([]);
    }
    const { requestId, signature } = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('old epoch') });
    await hub.settle();
    for (const d of devices.slice(1, 3)) await d.guardian.approve(requestId);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    expect(frostVerify(devices[0]!.guardian.wallet()!.pub, (await signature).digest, (await signature).signature)).toBe(true);
  });

  it('a new device joins with an invite and becomes a guardian by a reshare; it then co-signs', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 43 });
    const clock = new ManualClock();
    const devices: Device[] = [];
    for (let i = 0; i < 3; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`));
    const walletId = await createWalletAmong(devices, 2);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 3, 0);
    const groupKey = devices[0]!.guardian.wallet()!.groupKey;

    const newcomer = await makeDevice(hub, clock, 'g4');
    const invite = await devices[1]!.guardian.inviteGuardian();
    await hub.settle();
    await newcomer.guardian.join(invite);
    await hub.settle();
    expect(devices[0]!.guardian.invitedDevices()).toEqual([newcomer.identity.publicKey]);

    let newcomerReady: string | undefined;
    void newcomer.guardian.whenReady().then((w) => (newcomerReady = w.groupKey));
    const all = [...devices, newcomer];
    void devices[0]!.guardian.reshare(
      all.map((d) => d.identity.publicKey),
      3,
    );
    await until(hub, clock, () => newcomerReady !== undefined && devices.every((d) => d.guardian.wallet()!.pub.epoch === 1), 0);
    expect(newcomerReady).toBe(groupKey);
    for (const d of all) {
      const w = d.guardian.wallet()!;
      expect([w.pub.epoch, w.pub.threshold, w.pub.roster.deviceKeys.length, w.groupKey]).toEqual([1, 3, 4, groupKey]);
      expect((await getCurrentEpoch(d.store, walletId))!.epoch).toBe(1);
    }

    const { requestId, signature } = await newcomer.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('new guardian') });
    await hub.settle();
    for (const d of [devices[0]!, devices[2]!]) await d.guardian.approve(requestId);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    const res = await signature;
    expect(res.signers).toContain(newcomer.identity.publicKey);
    expect(frostVerify(newcomer.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);
  });

  it('a lost device is replaced: the others (≥ t) deal to a new device without it', async () => {
    const { hub, clock, devices, walletId } = await wallet();
    const lost = devices[4]!;
    lost.peer!.setOnline(false); // gone for good
    const replacement = await makeDevice(hub, clock, 'g6');
    const invite = await devices[0]!.guardian.inviteGuardian();
    await hub.settle();
    await replacement.guardian.join(invite);
    await hub.settle();
    let ready: string | undefined;
    void replacement.guardian.whenReady().then((w) => (ready = w.groupKey));
    const holders = [...devices.slice(0, 4), replacement];
    const present = devices.slice(0, 4).map((d) => d.identity.publicKey);
    void devices[2]!.guardian.reshare(
      holders.map((d) => d.identity.publicKey),
      3,
      present,
    );
    await until(hub, clock, () => ready !== undefined && devices.slice(0, 4).every((d) => d.guardian.wallet()!.pub.epoch === 1), 0);
    expect(ready).toBe(devices[0]!.guardian.wallet()!.groupKey);
    expect(devices[0]!.guardian.wallet()!.pub.roster.deviceKeys.map((k) => Buffer.from(k).toString('hex'))).not.toContain(lost.identity.publicKey);
    expect((await getCurrentEpoch(replacement.store, walletId))!.epoch).toBe(1);
  });
});

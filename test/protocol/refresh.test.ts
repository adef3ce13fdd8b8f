/**
 * Refresh through the runner (invariant 4, docs/invariants.md): DKG → sign → refresh → sign with the same group
 * key and new shares; and a device dropping at every refresh round leaves the old epoch current on
 * every device and still able to sign.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError, decodeKeyPackage, frostVerify } from '../../src/core/index.ts';
import { toHex } from '../../src/device/byteCodec.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { decodeEnvelope, decodeEnvelopeBatch } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

async function wallet(dropAtRefreshRound?: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 31 });
  const clock = new ManualClock();
  let armed = dropAtRefreshRound !== undefined;
  const dropper = (log: RequestLog, d: Device): RequestLog => ({
    ...log,
    append(kind, body) {
      if (armed && kind === 'envelope') {
        const env = decodeEnvelope(decodeEnvelopeBatch(body)[0]!);
        if (env.protocol === 'refresh' && env.round === dropAtRefreshRound) {
          armed = false;
          d.peer!.setOnline(false);
        }
      }
      return log.append(kind, body);
    },
  });
  const devices: Device[] = [];
  for (let i = 0; i < 5; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`, i === 2 ? { wrapLog: dropper } : {}));
  const walletId = await createWalletAmong(devices, 3);
  let ready = 0;
  devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
  await until(hub, clock, () => ready === 5, 0);
  return { hub, clock, devices, walletId };
}

async function sign(env: Awaited<ReturnType<typeof wallet>>, approvers: Device[], msg: string) {
  const { hub, clock, devices } = env;
  const { requestId, signature } = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes(msg) });
  await hub.settle();
  for (const d of approvers) await d.guardian.approve(requestId);
  let done = false;
  void signature.then(() => (done = true));
  await until(hub, clock, () => done);
  return signature;
}

const share = async (d: Device, walletId: string) => toHex(decodeKeyPackage((await getCurrentEpoch(d.store, walletId))!.keyPackage).signingShare);
const staged = (d: Device) => [...d.backend.raw.keys()].filter((k) => k.includes('/staged/'));

describe('refresh', () => {
  it('DKG → sign → refresh → sign: same key, new shares, epoch 1 everywhere', async () => {
    const env = await wallet();
    const { hub, clock, devices, walletId } = env;
    const groupKey = devices[0]!.guardian.wallet()!.groupKey;
    const before = await Promise.all(devices.map((d) => share(d, walletId)));
    const s0 = await sign(env, [devices[1]!, devices[2]!], 'before');
    expect(frostVerify(devices[0]!.guardian.wallet()!.pub, s0.digest, s0.signature)).toBe(true);

    // A request still short of approvals when the epoch changes can't be signed any more: it says so.
    const stale = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('stale') });
    const staleOutcome = stale.signature.then(
      () => 'signed',
      (e: unknown) => e,
    );
    let promoted = 0;
    devices.forEach((d) => d.guardian.on((e) => e.type === 'epoch' && promoted++));
    const mine = devices[3]!.guardian.refresh();
    await until(hub, clock, () => promoted === 5, 0);
    expect((await mine).current!.public.epoch).toBe(1);
    for (const d of devices) {
      expect(d.guardian.wallet()!.pub.epoch).toBe(1);
      expect(d.guardian.wallet()!.groupKey).toBe(groupKey);
      expect((await getCurrentEpoch(d.store, walletId))!.epoch).toBe(1);
      expect(staged(d)).toEqual([]);
      expect([...d.backend.raw.keys()].filter((k) => k.includes('/nonce/'))).toEqual([]);
    }
    expect(await staleOutcome).toMatchObject({ code: 'WRONG_EPOCH' });
    const after = await Promise.all(devices.map((d) => share(d, walletId)));
    after.forEach((s, i) => expect(s).not.toBe(before[i]));

    const s1 = await sign(env, [devices[3]!, devices[4]!], 'after');
    const pub1 = devices[0]!.guardian.wallet()!.pub;
    expect(pub1.epoch).toBe(1);
    expect(frostVerify(pub1, s1.digest, s1.signature)).toBe(true);
  });

  for (const round of [1, 2, 3, 4, 5]) {
    it(`a device dropping at refresh round ${round}: the old epoch stays current and signs`, async () => {
      const env = await wallet(round);
      const { hub, clock, devices, walletId } = env;
      const dropped = devices[2]!;
      const honest = devices.filter((d) => d !== dropped);
      const outcome = devices[0]!.guardian.refresh().then(
        () => 'promoted',
        (e: unknown) => e,
      );
      let settled: unknown;
      void outcome.then((v) => (settled = v));
      await until(hub, clock, () => settled !== undefined);
      expect(settled).toBeInstanceOf(CairnError);
      expect((settled as CairnError).culprits).toEqual([dropped.identity.publicKey]);
      for (const d of honest) {
        expect((await getCurrentEpoch(d.store, walletId))!.epoch).toBe(0);
        expect(d.guardian.wallet()!.pub.epoch).toBe(0);
        // Before every confirmation the staged epoch is dropped; after, it is kept for a later promotion.
        expect(staged(d)).toHaveLength(round <= 3 ? 0 : 1);
      }
      dropped.peer!.setOnline(true);
      await hub.settle();
      const s = await sign(env, [devices[1]!, devices[3]!], 'old epoch still signs');
      expect(s.signers).not.toContain(dropped.identity.publicKey);
      expect(frostVerify(devices[0]!.guardian.wallet()!.pub, s.digest, s.signature)).toBe(true);
    });
  }
});

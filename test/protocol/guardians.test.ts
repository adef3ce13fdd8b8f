import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify, decodePublicPackage } from '../../src/core/index.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import { createMemoryHub, createWalletAmong, makeDevice, makeDevices, ManualClock, until, type Device } from './helpers.ts';

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

  /**
   * Alice creates a 2-of-3; Bob's link is opened on a second phone too (`twin`), `together` or after
   * Bob's join synced. Messages take 20–30 ms, as over WebRTC: a device that just connected has an
   * empty log for a while.
   */
  async function sameInviteTwice(together: boolean) {
    const hub = createMemoryHub({ delayMs: (r) => 20 + r() * 10, seed: 9 });
    const clock = new ManualClock();
    const [alice, bob, carol] = await makeDevices(hub, clock, 3);
    // Its log's inserts sort first among concurrent ones: a join appended before its log synced would land ahead of Bob's.
    const twin = await makeDevice(hub, clock, 'bob-twin', { yjsClientId: 1 });
    const { walletId, invites } = await alice!.guardian.createWallet({ threshold: 2, guardians: 3 });
    if (together) await Promise.all([bob!.guardian.join(invites[0]!), twin.guardian.join(invites[0]!)]);
    else {
      await bob!.guardian.join(invites[0]!);
      await hub.settle();
      await twin.guardian.join(invites[0]!);
    }
    await carol!.guardian.join(invites[1]!);
    const ready = () =>
      [alice!, bob!, carol!, twin]
        .filter((d) => d.guardian.wallet())
        .map((d) => d.name)
        .sort();
    return { hub, clock, walletId, alice: alice!, bob: bob!, carol: carol!, twin, ready };
  }
  const takenState = (d: Device) =>
    d.events
      .filter((e) => e.type === 'invite-taken')
      .map((e) => (e as { taken: boolean }).taken)
      .at(-1) ?? false;

  it('a second device that opens an already used invite is told so and takes no part; the wallet is made without it', async () => {
    const { hub, clock, walletId, alice, bob, carol, twin, ready } = await sameInviteTwice(false);
    await until(hub, clock, () => ready().length === 3, 0);
    expect(ready()).toEqual([alice.name, bob.name, carol.name].sort());
    expect(twin.events.filter((e) => e.type === 'invite-taken')).toEqual([{ type: 'invite-taken', walletId, taken: true }]);
    expect(twin.events.some((e) => e.type === 'progress' || e.type === 'aborted')).toBe(false);
    expect(await getCurrentEpoch(twin.store, walletId)).toBeUndefined();
    expect(alice.events.some((e) => e.type === 'aborted' || e.type === 'blame')).toBe(false);
  });

  it('two devices join with the same invite at once: once synced, the log keeps one and the other is told; the key is made with the one kept', async () => {
    const { hub, clock, walletId, alice, bob, carol, twin, ready } = await sameInviteTwice(true);
    // Before both joins have synced, devices may briefly disagree on which came first and a key
    // creation may start that can't finish; the creator then starts it again (the app's button).
    alice.guardian.on((e) => void (e.type === 'aborted' && e.protocol === 'dkg' && queueMicrotask(() => alice.guardian.retryWalletCreation())));
    await until(hub, clock, () => ready().length === 3, 6);
    const [winner, loser] = ready().includes(bob.name) ? [bob, twin] : [twin, bob];
    expect(ready()).toEqual([alice.name, carol.name, winner.name].sort());
    expect([takenState(loser), takenState(winner)]).toEqual([true, false]);
    expect(loser.guardian.wallet()).toBeUndefined();
    expect(await getCurrentEpoch(loser.store, walletId)).toBeUndefined();
  });
});

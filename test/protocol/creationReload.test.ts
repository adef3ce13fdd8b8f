/**
 * Creating a wallet survives a reload before the key exists: the creator's and a joiner's guardian
 * instances are destroyed and re-created on the same storage (store locked and unlocked again);
 * `reopen` puts them back in the gathering state — the creator with the same (sealed) invites, the
 * joiner without a second join — and the DKG runs when the last device joins.
 *
 * A reload *during* the DKG rounds: the interrupted run's secrets are gone and never resumed. The
 * key creation restarts cleanly for everyone with the creator's next attempt: appended by the
 * creator itself when it was the one reloaded, or by `retryWalletCreation` after a joiner's reload
 * (that joiner is told `creation-interrupted` and doesn't run the cut attempt again).
 */
import { describe, expect, it } from 'vitest';
import { groupKeyOf } from '../../src/core/index.ts';
import { toHex } from '../../src/device/byteCodec.ts';
import { recordNames } from '../../src/device/walletRecords.ts';
import type { MemoryHub } from '../../src/net/memoryHub.ts';
import { decodeCreationRecord, encodeCreationRecord, loadCreationRecord } from '../../src/protocol/creationRecord.ts';
import { pendingRoster } from '../../src/protocol/walletCreation.ts';
import { createMemoryHub, ManualClock, until, type Device } from './helpers.ts';
import { makeReloadableDevice, reopenSettled, signTogether, type Reloadable } from './reloadable.ts';

const keyOf = (d: Device) => d.identity.publicKey;

async function three(seed: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const [alice, bob, carol] = [
    await makeReloadableDevice(hub, clock, 'alice'),
    await makeReloadableDevice(hub, clock, 'bob'),
    await makeReloadableDevice(hub, clock, 'carol'),
  ] as [Reloadable, Reloadable, Reloadable];
  return { hub, clock, alice, bob, carol };
}

async function reopenGathering(hub: MemoryHub, clock: ManualClock, d: Reloadable, walletId: string): Promise<void> {
  expect((await reopenSettled(hub, clock, d, walletId)).gathering).toBe(true);
}

async function allReady(hub: MemoryHub, clock: ManualClock, devices: Device[], maxTimeouts = 0) {
  let ready = 0;
  for (const d of devices)
    void d.guardian.whenReady().then(
      () => ready++,
      () => undefined,
    );
  await until(hub, clock, () => devices.every((d) => d.guardian.wallet() !== undefined), maxTimeouts);
  const keys = devices.map((d) => d.guardian.wallet()!.groupKey);
  expect(new Set(keys).size).toBe(1);
  return keys[0]!;
}

const joinsBy = (d: Device, author: Device) =>
  d.guardian
    .log()!
    .entries()
    .filter((e) => e.kind === 'join' && e.author === keyOf(author)).length;

describe('creating a wallet', () => {
  it('refuses impossible parameters before anything is stored or appended', async () => {
    const { alice } = await three(40);
    for (const bad of [
      { threshold: 2, guardians: 1 },
      { threshold: 1, guardians: 1 },
      { threshold: 3, guardians: 2 },
      { threshold: 2, guardians: 2.5 },
      { threshold: 2, guardians: 256 },
    ]) {
      await expect(alice.guardian.createWallet(bad)).rejects.toMatchObject({ code: 'BAD_PARAMETERS' });
    }
    expect(await alice.store.listRecords('wallet/')).toEqual([]);
    expect(alice.guardian.log()).toBeUndefined();
  });
});

describe('creating a wallet, reloaded before the key exists', () => {
  it('the creator (after making invites) and a joiner (after joining) reopen gathering; the last join starts the DKG; a signature verifies', async () => {
    const { hub, clock, alice, bob, carol } = await three(41);
    const { walletId, invites } = await alice.guardian.createWallet({ threshold: 2, guardians: 3 });
    await hub.settle();
    const sealed = (await alice.store.getRecord(recordNames.creating(walletId)))!;
    expect(decodeCreationRecord(sealed)).toMatchObject({ role: 'creator' });
    // Sealed: neither the room secret nor an invite id is anywhere in the device's storage in the clear.
    const stored = [...alice.backend.raw.values()].map((v) => toHex(v)).join('|');
    for (const i of invites) expect(stored).not.toContain(i.inviteId);
    expect(stored).not.toContain(toHex(invites[0]!.roomSecret));

    // Alice's page reloads before anyone joined; her log comes back from IndexedDB (kept doc).
    await alice.reload({ keepDoc: true });
    expect(alice.guardian.creatorInvites()).toEqual([]);
    await expect(alice.guardian.open(walletId)).rejects.toThrow(/holds no share/);
    await reopenGathering(hub, clock, alice, walletId);
    expect(alice.guardian.creatorInvites().map((i) => i.invite.inviteId)).toEqual(invites.map((i) => i.inviteId));
    expect(alice.guardian.creatorInvites().map((i) => i.used)).toEqual([false, false]);
    expect(toHex(alice.guardian.creatorInvites()[0]!.invite.roomSecret)).toBe(toHex(invites[0]!.roomSecret));

    await bob.guardian.join(invites[0]!);
    await until(hub, clock, () => (alice.events.findLast((e) => e.type === 'roster') as { members?: string[] } | undefined)?.members?.length === 2, 0);
    expect(alice.guardian.creatorInvites().map((i) => i.used)).toEqual([true, false]);

    // Bob's page reloads after joining (fresh doc: the log comes back from Alice).
    await bob.reload();
    await reopenGathering(hub, clock, bob, walletId);
    expect(bob.events.some((e) => e.type === 'roster' && e.members.length === 2)).toBe(true);

    await carol.guardian.join(invites[1]!);
    const groupKey = await allReady(hub, clock, [alice, bob, carol]);
    expect(groupKey).toBe(toHex(groupKeyOf(alice.guardian.wallet()!.pub)));
    expect(joinsBy(alice, bob)).toBe(1); // Bob didn't join twice
    expect(pendingRoster(alice.guardian.log()!.entries(), keyOf(alice), walletId)!.attempt).toBe(0);
    for (const d of [alice, bob, carol]) expect(await loadCreationRecord(d.store, walletId)).toBeUndefined();
    await signTogether(hub, clock, bob, carol, 'made after two reloads');

    // And after the key exists, a reload opens as a guardian.
    await bob.reload();
    let opened: { wallet?: unknown } | undefined;
    void bob.guardian.reopen(walletId).then((r) => (opened = r));
    await until(hub, clock, () => opened !== undefined, 0);
    expect(opened!.wallet).toBeDefined();
  });

  it('the record round-trips and refuses unknown versions and roles', () => {
    const rec = { role: 'joiner' as const, inviteId: '00'.repeat(16), started: 'ab'.repeat(32) };
    expect(decodeCreationRecord(encodeCreationRecord(rec))).toEqual(rec);
    const bytes = encodeCreationRecord(rec);
    expect(() => decodeCreationRecord(Uint8Array.of(2, ...bytes.subarray(1)))).toThrow(/version/);
    expect(() => decodeCreationRecord(Uint8Array.of(1, 3, ...bytes.subarray(2)))).toThrow(/role/);
    expect(() => decodeCreationRecord(bytes.subarray(0, bytes.length - 1))).toThrow();
  });
});

describe('a reload during the DKG rounds', () => {
  const dkgProgress = (d: Device) => d.events.some((e) => e.type === 'progress' && e.protocol === 'dkg');
  /** The page goes away as soon as `d` has the others' round-1 packages (its round 2 never leaves the device). */
  const cutAtRound2 = (d: Device) =>
    d.guardian.on((e) => {
      if (e.type === 'progress' && e.protocol === 'dkg' && e.round === 2) d.peer?.setOnline(false);
    });

  it("the creator's: on reopen it appends the next attempt, the others drop the cut run, and the key is made from scratch", async () => {
    const { hub, clock, alice, bob, carol } = await three(43);
    const { walletId, invites } = await alice.guardian.createWallet({ threshold: 2, guardians: 3 });
    cutAtRound2(alice);
    await bob.guardian.join(invites[0]!);
    await carol.guardian.join(invites[1]!);
    await until(hub, clock, () => [alice, bob, carol].every(dkgProgress) && !alice.peer!.isOnline(), 0);
    expect(alice.guardian.wallet()).toBeUndefined();
    const started = (await loadCreationRecord(alice.store, walletId))!.started;
    expect(started).toBe(pendingRoster(alice.guardian.log()!.entries(), keyOf(alice), walletId)!.creationId);

    await alice.reload({ keepDoc: true });
    await reopenGathering(hub, clock, alice, walletId);
    const groupKey = await allReady(hub, clock, [alice, bob, carol]);
    expect(pendingRoster(bob.guardian.log()!.entries(), keyOf(alice), walletId)!.attempt).toBe(1);
    expect(bob.events.some((e) => e.type === 'aborted' && e.protocol === 'dkg')).toBe(true); // the cut run, dropped
    expect(groupKey).toBe(carol.guardian.wallet()!.groupKey);
    await signTogether(hub, clock, carol, alice, 'made again after the creator reloaded');
  });

  it("a joiner's: it is told so and doesn't run the cut attempt again; the others' run times out; the creator's retry makes the key", async () => {
    const { hub, clock, alice, bob, carol } = await three(44);
    const { walletId, invites } = await alice.guardian.createWallet({ threshold: 2, guardians: 3 });
    await bob.guardian.join(invites[0]!);
    cutAtRound2(bob);
    await carol.guardian.join(invites[1]!);
    await until(hub, clock, () => [alice, bob, carol].every(dkgProgress) && !bob.peer!.isOnline(), 0);
    expect(bob.guardian.wallet()).toBeUndefined();

    await bob.reload();
    await reopenGathering(hub, clock, bob, walletId);
    await until(hub, clock, () => bob.events.some((e) => e.type === 'creation-interrupted'), 0);
    let aborted = false;
    void alice.guardian.whenReady().catch(() => (aborted = true));
    await until(hub, clock, () => aborted, 3); // Bob's part of round 2 never comes
    expect(bob.events.some((e) => e.type === 'progress' && e.protocol === 'dkg')).toBe(false);

    alice.guardian.retryWalletCreation();
    const groupKey = await allReady(hub, clock, [alice, bob, carol]);
    expect(groupKey).toBe(bob.guardian.wallet()!.groupKey);
    await signTogether(hub, clock, bob, alice, 'made again after a joiner reloaded');
  });
});

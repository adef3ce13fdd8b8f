/**
 * A device that joined an existing wallet (add invite) and is not a guardian yet survives a reload:
 * its guardian instance is destroyed, its share store reopened from the same backend and unlocked
 * again, and a fresh `createGuardian` reopens the wallet in the joining state (same room, the
 * inviter's package re-verified against the log, a restored backup still usable). The reshare then
 * makes it a guardian under the same group key, and the joining record is gone. A device the
 * wallet moved on without is told so and forgets its invite and restored backup.
 */
import { describe, expect, it } from 'vitest';
import { CairnError, decodeKeyPackage, encodePublicPackage, groupKeyOf, type PublicPackage } from '../../src/core/index.ts';
import { shareToBackupWords } from '../../src/device/backup.ts';
import { toHex } from '../../src/device/byteCodec.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { getCurrentEpoch, recordNames } from '../../src/device/walletRecords.ts';
import type { MemoryHub } from '../../src/net/memoryHub.ts';
import { restoredShareRecord } from '../../src/protocol/backupRestored.ts';
import { decodeJoiningRecord, encodeJoiningRecord, loadJoiningRecord, movedOnWithout, saveJoiningRecord } from '../../src/protocol/joiningRecord.ts';
import { EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement, type EpochAnnouncement } from '../../src/protocol/epochAnnouncement.ts';
import { encodeAddInvite } from '../../src/protocol/guardianInvite.ts';
import { CREATION_LOG_KIND } from '../../src/protocol/walletCreation.ts';
import type { LogEntry } from '../../src/net/requestLog.ts';
import { randomScalar } from '../../src/core/curve.ts';
import { commitPolynomial, randomPolynomial } from '../../src/core/polynomial.ts';
import { hexToBytesStrict } from '../../src/device/byteCodec.ts';
import { makePublicPackage } from '../../src/core/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';
import { makeReloadableDevice, reopenSettled, signTogether, type Reloadable } from './reloadable.ts';

const keyOf = (d: Device) => d.identity.publicKey;

/** A 2-of-3 wallet {Alice, Bob, Carol}; Carol's device is lost (after writing down her backup); Dave joins with Alice's invite. */
async function walletWithNewcomer(seed: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const [alice, bob, carol] = [await makeDevice(hub, clock, 'alice'), await makeDevice(hub, clock, 'bob'), await makeDevice(hub, clock, 'carol')] as [
    Device,
    Device,
    Device,
  ];
  const walletId = await createWalletAmong([alice, bob, carol], 2);
  let ready = 0;
  for (const d of [alice, bob, carol]) void d.guardian.whenReady().then(() => ready++);
  await until(hub, clock, () => ready === 3, 0);
  const pub = alice.guardian.wallet()!.pub;
  const carolKey = decodeKeyPackage((await getCurrentEpoch(carol.store, walletId))!.keyPackage);
  const words = shareToBackupWords({
    walletId,
    groupKey: toHex(groupKeyOf(pub)),
    identifier: carolKey.identifier,
    epoch: pub.epoch,
    share: carolKey.signingShare,
  });
  carol.peer!.setOnline(false);
  const dave = await makeReloadableDevice(hub, clock, 'dave');
  const invite = await alice.guardian.inviteGuardian();
  await hub.settle();
  await dave.guardian.join(invite);
  await until(hub, clock, () => dave.guardian.joiningWallet() !== undefined, 0);
  return { hub, clock, walletId, alice, bob, carol, dave, words, pub };
}

async function reopenJoining(hub: MemoryHub, clock: ManualClock, dave: Reloadable, walletId: string): Promise<PublicPackage> {
  const { joining } = await reopenSettled(hub, clock, dave, walletId);
  expect(joining).toBeDefined();
  return joining!;
}

describe('a joined device that is not a guardian yet, reloaded', () => {
  it('reopens in the joining state and becomes a guardian by the reshare (same group key), its joining record gone', async () => {
    const { hub, clock, walletId, alice, bob, carol, dave, pub } = await walletWithNewcomer(31);
    expect(decodeJoiningRecord((await dave.store.getRecord(recordNames.joining(walletId)))!).pub.epoch).toBe(0);

    await dave.reload(); // a fresh Y.Doc: the log comes back from the guardians
    expect(dave.guardian.joiningWallet()).toBeUndefined();
    await expect(dave.guardian.open(walletId)).rejects.toThrow(/holds no share/);
    const joining = await reopenJoining(hub, clock, dave, walletId);
    expect(encodePublicPackage(joining)).toEqual(encodePublicPackage(pub));
    expect(encodePublicPackage(dave.guardian.joiningWallet()!)).toEqual(encodePublicPackage(pub));
    expect(dave.events).toContainEqual({ type: 'roster', members: [...pub.roster.deviceKeys.map(toHex), keyOf(dave)], needed: 4 });
    // No second join: the invite was spent by the first one, and the holders still see Dave as invited.
    expect(
      dave.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'join' && e.author === keyOf(dave)),
    ).toHaveLength(1);
    await hub.settle();
    expect(alice.guardian.invitedDevices()).toEqual([keyOf(dave)]);

    const groupKey = alice.guardian.wallet()!.groupKey;
    let daveReady: string | undefined;
    void dave.guardian.whenReady().then((w) => (daveReady = w.groupKey));
    void alice.guardian.reshare([keyOf(alice), keyOf(bob), keyOf(dave)], 2, [keyOf(alice), keyOf(bob)]);
    await until(hub, clock, () => daveReady !== undefined && alice.guardian.wallet()!.pub.epoch === 1, 0);
    expect(daveReady).toBe(groupKey);
    expect(dave.guardian.wallet()!.pub.roster.deviceKeys.map(toHex).sort()).toEqual([keyOf(alice), keyOf(bob), keyOf(dave)].sort());
    expect(dave.guardian.wallet()!.pub.roster.deviceKeys.map(toHex)).not.toContain(keyOf(carol));
    expect((await getCurrentEpoch(dave.store, walletId))!.epoch).toBe(1);
    expect(await dave.store.listRecords(recordNames.joining(walletId))).toEqual([]);

    const res = await signTogether(hub, clock, dave, bob, 'after a reload');
    expect([...res.signers].sort()).toEqual([keyOf(bob), keyOf(dave)].sort());

    // Reloaded once more, it opens as the guardian it now is.
    await dave.reload({ keepDoc: true });
    const again = await dave.guardian.reopen(walletId);
    expect(again.wallet?.groupKey).toBe(groupKey);
  });

  it('a restored backup survives the reload and deals in the lost guardian’s place: {Alice, Dave} under the same key', async () => {
    const { hub, clock, walletId, alice, bob, carol, dave, words } = await walletWithNewcomer(32);
    bob.peer!.setOnline(false); // Bob's phone is lost too: only Alice and Carol's backup are left
    const { lost } = await dave.guardian.restoreBackup(words);
    expect(lost).toBe(keyOf(carol));
    await hub.settle();

    await dave.reload({ keepDoc: true }); // the log as IndexedDB kept it
    await reopenJoining(hub, clock, dave, walletId);
    expect(await dave.store.listRecords(restoredShareRecord.prefix(walletId))).toEqual([restoredShareRecord.name(walletId, keyOf(carol))]);
    expect(dave.guardian.restoredBackups().map((r) => [r.lost, r.device])).toEqual([[keyOf(carol), keyOf(dave)]]);
    expect(alice.guardian.restoredBackups().map((r) => [r.lost, r.device])).toEqual([[keyOf(carol), keyOf(dave)]]);

    const groupKey = alice.guardian.wallet()!.groupKey;
    let daveReady: string | undefined;
    void dave.guardian.whenReady().then((w) => (daveReady = w.groupKey));
    void alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], [{ lost: keyOf(carol), device: keyOf(dave) }]);
    await until(hub, clock, () => daveReady !== undefined && alice.guardian.wallet()!.pub.epoch === 1, 0);
    expect(daveReady).toBe(groupKey);
    expect(alice.guardian.wallet()!.pub.roster.deviceKeys.map(toHex).sort()).toEqual([keyOf(alice), keyOf(dave)].sort());
    expect(await dave.store.listRecords(restoredShareRecord.prefix(walletId))).toEqual([]);
    expect(await dave.store.listRecords(recordNames.joining(walletId))).toEqual([]);

    await signTogether(hub, clock, dave, alice, 'restored, reloaded');
  });

  it('told it was not added (the wallet moved to a newer epoch without it): the joining record and restored backup are deleted', async () => {
    const { hub, clock, walletId, alice, bob, carol, dave, words } = await walletWithNewcomer(33);
    await dave.guardian.restoreBackup(words);
    await hub.settle();
    // Alice and Bob replace Carol by nobody; Dave is not named.
    let done = false;
    void alice.guardian.reshare([keyOf(alice), keyOf(bob)], 2, [keyOf(alice), keyOf(bob)]).then(() => (done = true));
    await until(hub, clock, () => done && bob.guardian.wallet()!.pub.epoch === 1, 0);
    expect(dave.events.some((e) => e.type === 'not-added')).toBe(false); // a reshare not naming it proves nothing yet
    expect(await loadJoiningRecord(dave.store, walletId)).toBeDefined();

    await dave.reload();
    await reopenJoining(hub, clock, dave, walletId); // still joining: nothing says the wallet moved on
    // Alice invites someone else: her add invite carries epoch 1, without Dave.
    await alice.guardian.inviteGuardian();
    await until(hub, clock, () => dave.events.some((e) => e.type === 'not-added'), 0);
    expect(dave.events).toContainEqual({ type: 'not-added', walletId });
    expect(dave.guardian.joiningWallet()).toBeUndefined();
    expect(await dave.store.listRecords(recordNames.joining(walletId))).toEqual([]);
    expect(await dave.store.listRecords(restoredShareRecord.prefix(walletId))).toEqual([]);
    expect(carol.guardian.wallet()!.pub.epoch).toBe(0);

    await dave.reload({ keepDoc: true });
    await expect(dave.guardian.reopen(walletId)).rejects.toThrow(/not joining it/);
  });

  it('a stored package that differs from the inviter’s add invite is refused naming the inviter', async () => {
    const { hub, clock, walletId, alice, dave, pub } = await walletWithNewcomer(34);
    const record = (await loadJoiningRecord(dave.store, walletId))!;
    await saveJoiningRecord(dave.store, walletId, { ...record, pub: { ...pub, epoch: pub.epoch + 1 } });
    await dave.reload({ keepDoc: true });
    const err = await reopenJoining(hub, clock, dave, walletId).then(
      () => undefined,
      (e: CairnError) => e,
    );
    expect([err?.code, err?.culprits]).toEqual(['INCONSISTENT_COMMITMENTS', [keyOf(alice)]]);
    expect(dave.guardian.joiningWallet()).toBeUndefined();
    expect(dave.guardian.log()).toBeUndefined(); // closed again, nothing half-open
  });

  it('reopened with no guardian reachable and no log kept, it gives up after the timeout; later it reopens', async () => {
    const { hub, clock, walletId, alice, bob, dave, pub } = await walletWithNewcomer(36);
    alice.peer!.setOnline(false);
    bob.peer!.setOnline(false);
    await dave.reload(); // fresh Y.Doc, nobody to sync from
    let failed: CairnError | undefined;
    void dave.guardian.reopen(walletId).catch((e: CairnError) => (failed = e));
    await hub.settle();
    expect(failed).toBeUndefined();
    clock.advance(60_001);
    await hub.settle();
    expect(failed?.code).toBe('UNREACHABLE');
    expect(dave.guardian.log()).toBeUndefined();
    alice.peer!.setOnline(true);
    const joining = await reopenJoining(hub, clock, dave, walletId);
    expect(encodePublicPackage(joining)).toEqual(encodePublicPackage(pub));
  });

  it('the joining record codec round-trips; truncated or extended bytes are refused', async () => {
    const { pub } = await walletWithNewcomer(35);
    const bytes = encodeJoiningRecord({ inviteId: 'ab'.repeat(16), pub });
    const back = decodeJoiningRecord(bytes);
    expect([back.inviteId, encodePublicPackage(back.pub)]).toEqual(['ab'.repeat(16), encodePublicPackage(pub)]);
    for (const cut of [0, 1, 16, 17, 20, bytes.length - 1]) expect(() => decodeJoiningRecord(bytes.subarray(0, cut))).toThrow(CairnError);
    expect(() => decodeJoiningRecord(Uint8Array.of(...bytes, 0))).toThrow(CairnError);
    expect(() => decodeJoiningRecord(Uint8Array.of(2, ...bytes.subarray(1)))).toThrow(/unknown version/);
  });

  it('moved on without it: only a holder’s word for a newer epoch, and never after a reshare that named it', () => {
    const [a, b, c, d, x] = [0, 1, 2, 3, 4].map(() => createDeviceIdentity().publicKey) as [string, string, string, string, string];
    const coefficients = randomPolynomial(randomScalar(), 2);
    const pubOf = (epoch: number, keys: string[]) =>
      makePublicPackage({
        walletId: new Uint8Array(32).fill(5),
        epoch,
        threshold: 2,
        deviceKeys: keys.map((k) => hexToBytesStrict(k, 'key', 33)),
        commitment: commitPolynomial(coefficients),
      });
    const pub = pubOf(0, [a, b, c]);
    let n = 0;
    const entry = (author: string, kind: string, body: Uint8Array): LogEntry => ({ id: (n++).toString(16).padStart(64, '0'), author, kind, body, at: 0 });
    const announce = (author: string, an: EpochAnnouncement) => entry(author, EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement(an));
    const addInvite = (author: string, p: typeof pub) =>
      entry(author, CREATION_LOG_KIND, encodeAddInvite({ walletId: toHex(p.walletId), inviteHash: 'cd'.repeat(32), pub: p }));
    const reshareWithout = announce(a, { kind: 'reshare', epoch: 0, newThreshold: 2, newHolders: [a, b], dealers: [a, b] });
    const reshareWithMe = announce(a, { kind: 'reshare', epoch: 0, newThreshold: 2, newHolders: [a, b, d], dealers: [a, b] });
    const refreshLater = announce(b, { kind: 'refresh', epoch: 1 });

    expect(movedOnWithout([reshareWithout], pub, d)).toBe(false); // asked, not done
    expect(movedOnWithout([reshareWithout, refreshLater], pub, d)).toBe(true);
    expect(movedOnWithout([reshareWithMe, reshareWithout, refreshLater], pub, d)).toBe(false); // named once: kept
    expect(movedOnWithout([reshareWithout, announce(x, { kind: 'refresh', epoch: 1 })], pub, d)).toBe(false); // not a holder's word
    expect(movedOnWithout([addInvite(c, pubOf(1, [a, b]))], pub, d)).toBe(true);
    expect(movedOnWithout([addInvite(c, pubOf(1, [a, b, d]))], pub, d)).toBe(false);
    expect(movedOnWithout([addInvite(x, pubOf(1, [a, b]))], pub, d)).toBe(false);
    expect(movedOnWithout([addInvite(a, pubOf(0, [a, b, c]))], pub, d)).toBe(false);
    expect(movedOnWithout([entry(a, EPOCH_ANNOUNCEMENT_KIND, Uint8Array.of(9, 9))], pub, d)).toBe(false);
  });
});

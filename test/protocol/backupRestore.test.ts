/**
 * A paper backup restored on a fresh device deals in the lost guardian's place: 2-of-3, two devices
 * lost, the remaining guardian + Carol's backup (restored on Dave) reshare to {Alice, Dave} under
 * the same group key. Adversarial: bad / wrong-epoch / non-invited `backup-restored` entries are
 * refused naming their author; an acting device that deals without Carol's share aborts the reshare
 * naming it, and nobody's state changes.
 */
import { describe, expect, it } from 'vitest';
import { CairnError, decodeKeyPackage, groupKeyOf, identifierOf } from '../../src/core/index.ts';
import { decodeReshareRound1, encodeReshareRound1 } from '../../src/core/lifecycle/resharePackages.ts';
import fc from 'fast-check';
import { Fn, Point, randomScalar } from '../../src/core/curve.ts';
import { commitPolynomial, evaluatePolynomial, randomPolynomial } from '../../src/core/polynomial.ts';
import { identifierToScalar, makePublicPackage, proveBackupHolder, verifyBackupHolder } from '../../src/core/index.ts';
import { shareToBackupWords } from '../../src/device/backup.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { hexToBytesStrict, toHex } from '../../src/device/byteCodec.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import type { LogEntry, RequestLog } from '../../src/net/requestLog.ts';
import {
  BACKUP_RESTORED_LOG_KIND,
  backupRestoredBody,
  decodeBackupRestored,
  encodeBackupRestored,
  restoredShareRecord,
  verifyBackupRestored,
} from '../../src/protocol/backupRestored.ts';
import {
  actingDealersProblem,
  decodeEpochAnnouncement,
  EPOCH_ANNOUNCEMENT_KIND,
  encodeEpochAnnouncement,
  type EpochAnnouncement,
} from '../../src/protocol/epochAnnouncement.ts';
import { decodeAddInvite } from '../../src/protocol/guardianInvite.ts';
import { decodeEnvelope, decodeEnvelopeBatch, encodeEnvelopeBatches, sealEnvelope } from '../../src/protocol/index.ts';
import { CREATION_LOG_KIND, inviteHash } from '../../src/protocol/walletCreation.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';
import { signTogether } from './reloadable.ts';

/** Makes the acting device's round-1 commitments claim a constant term it can't back with Carol's share. */
const forgeDealerCommitment =
  (armed: { on: boolean; lostId?: string }) =>
  (log: RequestLog, d: Device): RequestLog =>
    ({
      ...log,
      append(kind, body) {
        if (!armed.on || kind !== 'envelope') return log.append(kind, body);
        const raw = decodeEnvelopeBatch(body).map((bytes) => {
          const env = decodeEnvelope(bytes);
          if (env.protocol !== 'reshare' || env.round !== 1) return bytes;
          const lostId = armed.lostId!;
          const commitment = decodeReshareRound1(env.body, env.session, lostId);
          commitment[0] = commitment[0]!.add(Point.BASE); // not λ·VerifyingShare of the lost guardian
          return sealEnvelope(d.identity, { session: env.session, protocol: 'reshare', round: 1 }, encodeReshareRound1(env.session, lostId, commitment));
        });
        let last = log.append(kind, encodeEnvelopeBatches(raw)[0]!);
        for (const extra of encodeEnvelopeBatches(raw).slice(1)) last = log.append(kind, extra);
        return last;
      },
    }) as RequestLog;

async function lostTwo(opts: { forge?: { on: boolean; lostId?: string } } = {}) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 77 });
  const clock = new ManualClock();
  const [alice, bob, carol] = [await makeDevice(hub, clock, 'alice'), await makeDevice(hub, clock, 'bob'), await makeDevice(hub, clock, 'carol')];
  const walletId = await createWalletAmong([alice!, bob!, carol!], 2);
  let ready = 0;
  for (const d of [alice, bob, carol]) void d!.guardian.whenReady().then(() => ready++);
  await until(hub, clock, () => ready === 3, 0);
  const pub = alice!.guardian.wallet()!.pub;
  // Carol's paper backup, as her Guardians page shows it.
  const carolKey = decodeKeyPackage((await getCurrentEpoch(carol!.store, walletId))!.keyPackage);
  const words = shareToBackupWords({
    walletId,
    groupKey: toHex(groupKeyOf(pub)),
    identifier: carolKey.identifier,
    epoch: pub.epoch,
    share: carolKey.signingShare,
  });
  bob!.peer!.setOnline(false);
  carol!.peer!.setOnline(false);
  const dave = await makeDevice(hub, clock, 'dave', opts.forge ? { wrapLog: forgeDealerCommitment(opts.forge) } : {});
  const invite = await alice!.guardian.inviteGuardian();
  await hub.settle();
  await dave.guardian.join(invite);
  await hub.settle();
  return { hub, clock, walletId, alice: alice!, bob: bob!, carol: carol!, dave, words, pub, carolKey };
}

const keyOf = (d: Device) => d.identity.publicKey;

/** A log wrapper that hides the entries `which` picks from its device until `release()` (they arrive late). */
function withholdEntries(which: (e: LogEntry) => boolean) {
  let held = true;
  const late: [LogEntry, () => void][] = [];
  const released = new Set<string>();
  const hidden = (e: LogEntry) => held && which(e) && !released.has(e.id);
  return {
    wrap: (log: RequestLog): RequestLog => ({
      ...log,
      entries: () => log.entries().filter((e) => !hidden(e)),
      subscribe: (cb) => log.subscribe((e) => (hidden(e) ? late.push([e, () => cb(e)]) : cb(e))),
    }),
    /** Delivers the held entries `which` picks (all by default); with no filter, stops holding. */
    release(which?: (e: LogEntry) => boolean) {
      if (!which) held = false;
      for (const [e, deliver] of late.splice(0)) {
        if (!which || which(e)) {
          released.add(e.id);
          deliver();
        } else late.push([e, deliver]);
      }
    },
  };
}

/** Every plaintext restored-share record `d`'s guardian writes or reads, to check that it wipes them after use. */
function keepRestoredPlaintexts(d: Device): Uint8Array[] {
  const seen: Uint8Array[] = [];
  const { putRecord, getRecord } = d.store;
  d.store.putRecord = (name, value) => (name.includes('/restored/') && seen.push(value), putRecord(name, value));
  d.store.getRecord = async (name) => {
    const value = await getRecord(name);
    if (value && name.includes('/restored/')) seen.push(value);
    return value;
  };
  return seen;
}

/** Appends an announcement as `d`'s device, bypassing the guardian's own checks (a hostile or buggy app). */
const announceRaw = (d: Device, a: EpochAnnouncement) => d.guardian.log()!.append(EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement(a));

describe('paper backup restored on a new device', () => {
  it('the remaining guardian and Carol’s backup (on Dave) reshare to {Alice, Dave}: same key, Dave co-signs', async () => {
    const { hub, clock, walletId, alice, carol, dave, words } = await lostTwo();
    const groupKey = alice.guardian.wallet()!.groupKey;
    const plaintexts = keepRestoredPlaintexts(dave);
    await expect(dave.guardian.restoreBackup(words.map((w, i) => (i === 20 ? (w === 'zoo' ? 'zone' : 'zoo') : w)).join(' '))).rejects.toThrow(
      /Word 21 is wrong/,
    );
    const { lost } = await dave.guardian.restoreBackup(words.join(' '));
    expect(lost).toBe(keyOf(carol));
    expect(await dave.store.listRecords(restoredShareRecord.prefix(walletId))).toHaveLength(1);
    expect(plaintexts.map((b) => b.every((x) => x === 0))).toEqual([true]); // written sealed, the plaintext wiped
    await hub.settle();
    await hub.settle();
    expect(alice.guardian.restoredBackups().map((r) => [r.lost, r.device])).toEqual([[keyOf(carol), keyOf(dave)]]);

    let daveReady: string | undefined;
    void dave.guardian.whenReady().then((w) => (daveReady = w.groupKey));
    void alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], [{ lost: keyOf(carol), device: keyOf(dave) }]);
    await until(hub, clock, () => daveReady !== undefined && alice.guardian.wallet()!.pub.epoch === 1, 0);
    expect(daveReady).toBe(groupKey);
    const w = alice.guardian.wallet()!;
    expect([w.pub.epoch, w.pub.threshold, w.groupKey]).toEqual([1, 2, groupKey]);
    expect(w.pub.roster.deviceKeys.map(toHex).sort()).toEqual([keyOf(alice), keyOf(dave)].sort());
    expect((await getCurrentEpoch(dave.store, walletId))!.epoch).toBe(1);
    expect(plaintexts.map((b) => b.every((x) => x === 0))).toEqual([true, true]); // read back to deal, then wiped
    // The lost guardian's share is gone from Dave once the new epoch is promoted.
    expect(await dave.store.listRecords(restoredShareRecord.prefix(walletId))).toEqual([]);

    const res = await signTogether(hub, clock, dave, alice, 'restored');
    expect([...res.signers].sort()).toEqual([keyOf(alice), keyOf(dave)].sort());
  });

  // What lets Dave stand in (Alice's add invite for him, his join, his backup entry) reaches Erin only
  // after the announcement, in each order: whichever comes last must wake her up.
  for (const last of ['add invite', 'join', 'backup entry'] as const) {
    it(`…or to a 2-of-3 with another newcomer (Erin), who receives Carol’s part from Dave — even when the announcement reaches her first and Dave’s ${last} last`, async () => {
      const lastKind = { 'add invite': CREATION_LOG_KIND, join: 'join', 'backup entry': BACKUP_RESTORED_LOG_KIND }[last];
      const { hub, clock, alice, carol, dave, words } = await lostTwo();
      const daveInvite = (e: LogEntry) => e.kind === CREATION_LOG_KIND && e.body[0] === 2 && decodeAddInvite(e.body).inviteHash !== inviteHash(invite.inviteId);
      const withheld = withholdEntries((e) => daveInvite(e) || (e.author === keyOf(dave) && (e.kind === 'join' || e.kind === BACKUP_RESTORED_LOG_KIND)));
      const erin = await makeDevice(hub, clock, 'erin', { wrapLog: withheld.wrap });
      const invite = await alice.guardian.inviteGuardian();
      await hub.settle();
      await erin.guardian.join(invite);
      await hub.settle();
      await dave.guardian.restoreBackup(words);
      await hub.settle();
      await hub.settle();
      const groupKey = alice.guardian.wallet()!.groupKey;
      const ready: string[] = [];
      for (const d of [dave, erin]) void d.guardian.whenReady().then((w) => ready.push(w.groupKey));
      void alice.guardian.reshare([keyOf(alice), keyOf(dave), keyOf(erin)], 2, [keyOf(alice)], [{ lost: keyOf(carol), device: keyOf(dave) }]);
      await hub.settle();
      await hub.settle();
      // Erin has the announcement but not Dave's invite, join or the backup entry it names: she waits, refusing nothing.
      expect(erin.events.filter((e) => (e.type === 'rejected' && e.code !== 'MALFORMED') || e.type === 'aborted')).toEqual([]);
      expect(erin.events.some((e) => e.type === 'progress' && e.protocol === 'reshare')).toBe(false);
      withheld.release((e) => e.kind !== lastKind);
      await hub.settle();
      expect(erin.events.some((e) => e.type === 'progress' && e.protocol === 'reshare')).toBe(false);
      withheld.release();
      await until(hub, clock, () => ready.length === 2 && alice.guardian.wallet()!.pub.epoch === 1, 0);
      expect(ready).toEqual([groupKey, groupKey]);
      expect(alice.guardian.wallet()!.pub.roster.deviceKeys.length).toBe(3);
      const res = await signTogether(hub, clock, erin, dave, 'erin and dave');
      expect([...res.signers].sort()).toEqual([keyOf(dave), keyOf(erin)].sort());
    });
  }

  it('restored-backup entries with a bad proof, for another epoch or from a non-invited device are refused naming the author', async () => {
    const { hub, alice, bob, carol, dave, pub, carolKey } = await lostTwo();
    const invited = alice.guardian.invitedDevices();
    expect(invited).toEqual([keyOf(dave)]);
    const good = backupRestoredBody(pub, keyOf(carol), keyOf(dave), carolKey.signingShare);
    const entry = (author: Device, body: Uint8Array) => ({ id: '00'.repeat(32), author: keyOf(author), kind: BACKUP_RESTORED_LOG_KIND, body, at: 0 });
    expect(verifyBackupRestored(entry(dave, good), pub, invited)).toMatchObject({ lost: keyOf(carol), device: keyOf(dave) });

    const refused = (author: Device, body: Uint8Array): CairnError => {
      try {
        verifyBackupRestored(entry(author, body), pub, invited);
      } catch (err) {
        return err as CairnError;
      }
      throw new Error('accepted');
    };
    // A proof made for another device (Bob's key bound in) doesn't verify for Dave.
    const stolen = decodeBackupRestored(backupRestoredBody(pub, keyOf(carol), keyOf(bob), carolKey.signingShare));
    const bad = refused(dave, encodeBackupRestored({ epoch: pub.epoch, lost: keyOf(carol), proof: stolen.proof }));
    expect([bad.code, bad.culprits]).toEqual(['BAD_PROOF', [keyOf(dave)]]);
    // The epoch is bound into the proof and checked against the wallet's.
    const wrongEpoch = refused(dave, encodeBackupRestored({ ...decodeBackupRestored(good), epoch: pub.epoch + 1 }));
    expect([wrongEpoch.code, wrongEpoch.culprits]).toEqual(['WRONG_EPOCH', [keyOf(dave)]]);
    // A holder (not an invited newcomer) can't claim another's backup, even with a valid proof.
    const notInvited = refused(bob, backupRestoredBody(pub, keyOf(carol), keyOf(bob), carolKey.signingShare));
    expect([notInvited.code, notInvited.culprits]).toEqual(['UNKNOWN_SENDER', [keyOf(bob)]]);
    // Nor can a device that joined with no holder's invite.
    const outsider = createDeviceIdentity().publicKey;
    let outsiderErr: CairnError | undefined;
    try {
      verifyBackupRestored({ ...entry(dave, backupRestoredBody(pub, keyOf(carol), outsider, carolKey.signingShare)), author: outsider }, pub, invited);
    } catch (err) {
      outsiderErr = err as CairnError;
    }
    expect([outsiderErr?.code, outsiderErr?.culprits]).toEqual(['UNKNOWN_SENDER', [outsider]]);
    const garbage = refused(dave, good.subarray(0, 40));
    expect([garbage.code, garbage.culprits]).toEqual(['MALFORMED', [keyOf(dave)]]);

    // Published in the log, the bad one is ignored: no acting dealer is offered, Alice's app can't
    // name it, and an announcement that names it anyway is refused by every device, naming its author.
    const badEntry = dave.guardian.log()!.append(BACKUP_RESTORED_LOG_KIND, encodeBackupRestored({ epoch: pub.epoch, lost: keyOf(carol), proof: stolen.proof }));
    await hub.settle();
    await hub.settle();
    expect(alice.guardian.restoredBackups()).toEqual([]);
    expect(alice.events).toContainEqual(expect.objectContaining({ type: 'rejected', from: keyOf(dave), code: 'BAD_PROOF' }));
    const actors = [{ lost: keyOf(carol), device: keyOf(dave) }];
    await expect(alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], actors)).rejects.toThrow(/not restored a verified backup/);
    announceRaw(alice, {
      kind: 'reshare',
      epoch: 0,
      newThreshold: 2,
      newHolders: [keyOf(alice), keyOf(dave)].sort(),
      dealers: [keyOf(alice), keyOf(carol)].sort(),
      actors: [{ ...actors[0]!, backupEntry: badEntry.id }],
    });
    await hub.settle();
    await hub.settle();
    for (const d of [alice, dave])
      expect(d.events).toContainEqual({
        type: 'rejected',
        from: keyOf(alice),
        code: 'UNKNOWN_SENDER',
        reason: 'A reshare names a device that restored no verified backup of that guardian',
      });
    expect(alice.guardian.wallet()!.pub.epoch).toBe(0);
  });

  it('an acting device that deals without knowing the lost share aborts the reshare naming it; nothing changes', async () => {
    const forge = { on: false, lostId: undefined as string | undefined };
    const { hub, clock, walletId, alice, carol, dave, words } = await lostTwo({ forge });
    forge.lostId = identifierOf(hexToBytesStrict(keyOf(carol), 'carol', 33));
    await dave.guardian.restoreBackup(words);
    await hub.settle();
    await hub.settle();
    forge.on = true;
    let settled: unknown;
    void alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], [{ lost: keyOf(carol), device: keyOf(dave) }]).then(
      () => (settled = 'promoted'),
      (e: unknown) => (settled = e),
    );
    await until(hub, clock, () => settled !== undefined);
    const err = settled as CairnError;
    expect(err.culprits).toEqual([keyOf(dave)]);
    expect(err.code).toBe('INCONSISTENT_COMMITMENTS');
    expect(alice.guardian.wallet()!.pub.epoch).toBe(0);
    expect((await getCurrentEpoch(alice.store, walletId))!.epoch).toBe(0);
    expect([...alice.backend.raw.keys()].filter((k) => k.includes('/staged/'))).toEqual([]);
    expect(dave.guardian.wallet()).toBeUndefined();
    expect(await getCurrentEpoch(dave.store, walletId)).toBeUndefined();
  });

  it('a reshare naming an acting device without its verified backup entry is refused naming its author; a proper one then runs', async () => {
    const { hub, clock, alice, bob, carol, dave, words } = await lostTwo();
    const actors = [{ lost: keyOf(carol), device: keyOf(dave) }];
    const announcements = () =>
      alice.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === EPOCH_ANNOUNCEMENT_KIND);
    // A device nobody invited can't be named, as a new guardian or as a stand-in.
    const stranger = createDeviceIdentity().publicKey;
    await expect(alice.guardian.reshare([keyOf(alice), stranger], 2, [keyOf(alice)])).rejects.toThrow(/has not joined with an invite/);
    await expect(alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], [{ lost: keyOf(carol), device: stranger }])).rejects.toThrow(
      /has not joined with an invite/,
    );
    // Dave has restored nothing yet: Alice's device won't announce it (nothing goes to the log).
    await expect(alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], actors)).rejects.toThrow(/not restored a verified backup/);
    expect(announcements()).toEqual([]);
    await dave.guardian.restoreBackup(words);
    await hub.settle();
    await hub.settle();
    const backupEntry = alice.guardian.restoredBackups()[0]!.entryId;
    const joinEntry = alice.guardian
      .log()!
      .entries()
      .find((e) => e.kind === 'join' && e.author === keyOf(dave))!.id;
    // Announcements that name the wrong entry, or Dave's entry for the wrong lost guardian, are refused by every device.
    const base = { kind: 'reshare' as const, epoch: 0, newThreshold: 2, newHolders: [keyOf(alice), keyOf(dave)].sort() };
    announceRaw(alice, { ...base, dealers: [keyOf(alice), keyOf(carol)].sort(), actors: [{ ...actors[0]!, backupEntry: joinEntry }] });
    announceRaw(alice, { ...base, dealers: [keyOf(alice), keyOf(bob)].sort(), actors: [{ lost: keyOf(bob), device: keyOf(dave), backupEntry }] });
    await hub.settle();
    await hub.settle();
    for (const d of [alice, dave]) {
      const refusals = d.events
        .filter((e) => e.type === 'rejected' && e.from === keyOf(alice) && e.code === 'UNKNOWN_SENDER')
        .map((e) => (e as { reason: string }).reason);
      expect(refusals).toEqual([
        'A reshare names an entry that is not a restored backup',
        'A reshare names a device that restored no verified backup of that guardian',
      ]);
    }
    expect(alice.guardian.wallet()!.pub.epoch).toBe(0);
    let promoted = false;
    void alice.guardian.reshare([keyOf(alice), keyOf(dave)], 2, [keyOf(alice)], actors).then(() => (promoted = true));
    await until(hub, clock, () => promoted, 0);
    expect(alice.guardian.wallet()!.pub.epoch).toBe(1);
    expect(decodeEpochAnnouncement(announcements().at(-1)!.body)).toMatchObject({ actors: [{ ...actors[0], backupEntry }] });
  });

  it('actingDealersProblem refuses each way an announcement can misuse acting dealers', () => {
    const k = (b: number) => '02' + b.toString(16).padStart(2, '0').repeat(32);
    const [a, b, lost, d, e] = [k(1), k(2), k(3), k(4), k(5)];
    const roster = [a, b, lost];
    const restored = [{ lost, device: d }];
    const ok = { dealers: [a, lost], newHolders: [a, d], actors: [{ lost, device: d }] };
    expect(actingDealersProblem(ok, roster, restored)).toBeUndefined();
    expect(
      actingDealersProblem(
        {
          ...ok,
          actors: [
            { lost, device: d },
            { lost, device: e },
          ],
        },
        roster,
        [...restored, { lost, device: e }],
      ),
    ).toMatch(/twice/);
    expect(
      actingDealersProblem(
        {
          ...ok,
          actors: [
            { lost, device: d },
            { lost: b, device: d },
          ],
          dealers: [a, b, lost],
        },
        roster,
        restored,
      ),
    ).toMatch(/twice/);
    expect(actingDealersProblem({ ...ok, dealers: [a, b] }, roster, restored)).toMatch(/does not deal/);
    expect(actingDealersProblem({ ...ok, actors: [{ lost, device: b }] }, roster, [{ lost, device: b }])).toMatch(/in another guardian/);
    expect(actingDealersProblem({ ...ok, newHolders: [a, d, lost] }, roster, restored)).toMatch(/can’t stay a guardian/);
    expect(actingDealersProblem({ ...ok, actors: [{ lost, device: e }] }, roster, restored)).toMatch(/no verified backup/);
    expect(actingDealersProblem(ok, roster, [{ lost: b, device: d }])).toMatch(/no verified backup/);
  });

  it('a backup-holder proof verifies only for the exact wallet, epoch, lost guardian and device it was made for (property)', () => {
    const keys = [0, 1, 2].map(() => hexToBytesStrict(createDeviceIdentity().publicKey, 'key', 33));
    const coefficients = randomPolynomial(randomScalar(), 2);
    const pubAt = (walletByte: number, epoch: number) =>
      makePublicPackage({ walletId: new Uint8Array(32).fill(walletByte), epoch, threshold: 2, deviceKeys: keys, commitment: commitPolynomial(coefficients) });
    const pub = pubAt(7, 3);
    const [lost, holder, other] = keys as [Uint8Array, Uint8Array, Uint8Array];
    const share = Fn.toBytes(evaluatePolynomial(coefficients, identifierToScalar(identifierOf(lost))));
    const proof = proveBackupHolder({ pub, lost, holder }, share);
    expect(() => verifyBackupHolder({ pub, lost, holder }, proof)).not.toThrow();
    expect(() => proveBackupHolder({ pub, lost: other, holder }, share)).toThrow(/doesn't match/);
    fc.assert(
      fc.property(fc.constantFrom('wallet', 'epoch', 'lost', 'holder', 'proof'), fc.integer({ min: 0, max: 64 }), (what, n) => {
        const statement =
          what === 'wallet'
            ? { pub: pubAt(8 + (n % 200), 3), lost, holder }
            : what === 'epoch'
              ? { pub: pubAt(7, 4 + n), lost, holder }
              : what === 'lost'
                ? { pub, lost: other, holder }
                : what === 'holder'
                  ? { pub, lost, holder: other }
                  : { pub, lost, holder };
        const bytes = what === 'proof' ? proof.map((b, i) => (i === 33 + (n % 32) ? b ^ 1 : b)) : proof;
        expect(() => verifyBackupHolder(statement, bytes)).toThrow(CairnError);
      }),
      { numRuns: 40 },
    );
  });

  it('the announcement and backup-restored codecs: v1 without acting dealers, v2 with; truncated, inconsistent or random bytes are refused', () => {
    const k = (b: number) => '02' + b.toString(16).padStart(2, '0').repeat(32);
    const plain: EpochAnnouncement = { kind: 'reshare', epoch: 3, newThreshold: 2, newHolders: [k(1), k(2)], dealers: [k(1), k(3)] };
    expect(encodeEpochAnnouncement(plain)[0]).toBe(1);
    expect(decodeEpochAnnouncement(encodeEpochAnnouncement(plain))).toEqual(plain);
    const acting: EpochAnnouncement = { ...plain, actors: [{ lost: k(3), device: k(2), backupEntry: 'ab'.repeat(32) }] };
    const bytes = encodeEpochAnnouncement(acting);
    expect(bytes[0]).toBe(2);
    expect(decodeEpochAnnouncement(bytes)).toEqual(acting);
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeEpochAnnouncement(bytes.subarray(0, cut))).toThrow(CairnError);
    expect(() => decodeEpochAnnouncement(Uint8Array.of(...bytes, 0))).toThrow(CairnError);
    const noActors = Uint8Array.of(...encodeEpochAnnouncement(plain), 0);
    noActors[0] = 2;
    expect(() => decodeEpochAnnouncement(noActors)).toThrow(/acting dealer count/);
    // Random bytes: either a well-formed value or a CairnError, never anything else.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        for (const decode of [decodeEpochAnnouncement, decodeBackupRestored]) {
          try {
            decode(raw);
          } catch (err) {
            expect(err).toBeInstanceOf(CairnError);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(decodeBackupRestored(encodeBackupRestored({ epoch: 9, lost: k(4), proof: new Uint8Array(65).fill(3) }))).toEqual({
      epoch: 9,
      lost: k(4),
      proof: new Uint8Array(65).fill(3),
    });
  });
});

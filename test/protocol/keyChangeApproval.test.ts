/**
 * Key changes need t people (docs/invariants.md, invariant 9) and are committed before anything is
 * forgotten (invariant 4): a takeover attempt by one guardian with a second device of its own runs
 * nothing; t − 1 approvals, denials, withdrawal and expiry run nothing; a reshare whose new holder
 * stalls after confirming deletes no share; a device that missed the last round of a refresh promotes
 * from the commit; two proposals at the same moment end the same way on every device.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/device/byteCodec.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { decodeEnvelope, decodeEnvelopeBatch, EPOCH_ANNOUNCEMENT_KIND, KEY_CHANGE_TTL_MS, soleControllers } from '../../src/protocol/index.ts';
import { invitersOf } from '../../src/protocol/guardianInvite.ts';
import { approveIfOpen, approvesKeyChanges, createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';
import { signTogether } from './reloadable.ts';

const keyOf = (d: Device) => d.identity.publicKey;
type Hook = { armed?: (kind: string, protocol: string, round: number, d: Device) => 'drop-after' | 'drop-before' | undefined };

/** n guardians at threshold t whose people approve nothing by themselves; `hook` can cut a device off mid-run. */
async function wallet(n: number, t: number, seed: number, hook: Hook = {}) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const cutter = (log: RequestLog, d: Device): RequestLog => ({
    ...log,
    append(kind, body) {
      if (kind !== 'envelope' || !hook.armed) return log.append(kind, body);
      const env = decodeEnvelope(decodeEnvelopeBatch(body)[0]!);
      const verdict = hook.armed(kind, env.protocol, env.round, d);
      if (verdict === 'drop-before') {
        d.peer!.setOnline(false);
        return log.append(kind, body);
      }
      const entry = log.append(kind, body);
      if (verdict === 'drop-after') queueMicrotask(() => d.peer!.setOnline(false)); // sent, then gone
      return entry;
    },
  });
  const devices: Device[] = [];
  for (let i = 0; i < n; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`, { approvesKeyChanges: false, wrapLog: cutter }));
  const walletId = await createWalletAmong(devices, t);
  await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
  return { hub, clock, devices, walletId };
}

const reshareEnvelopesBy = (d: Device, from: Device) =>
  d.guardian
    .log()!
    .entries()
    .filter((e) => e.kind === 'envelope' && e.author === keyOf(from))
    .map((e) => decodeEnvelope(decodeEnvelopeBatch(e.body)[0]!))
    .filter((x) => x.protocol === 'reshare' || x.protocol === 'refresh');

const staged = (d: Device) => [...d.backend.raw.keys()].filter((k) => k.includes('/staged/'));

describe('key changes need t guardians', () => {
  it('one guardian with a second device of its own proposes a reshare to itself: nobody deals or deletes until t approve; the honest shares still sign', async () => {
    const { hub, clock, devices, walletId } = await wallet(3, 2, 61);
    const [ann, raj, mia] = devices as [Device, Device, Device];
    const annTablet = await makeDevice(hub, clock, 'ann-tablet', { approvesKeyChanges: false });
    const invite = await ann.guardian.inviteGuardian();
    await hub.settle();
    await annTablet.guardian.join(invite);
    await until(hub, clock, () => annTablet.guardian.joiningWallet() !== undefined && ann.guardian.invitedDevices().includes(keyOf(annTablet)), 0);

    let settled: unknown;
    void ann.guardian.reshare([keyOf(ann), keyOf(annTablet)], 2).then(
      (r) => (settled = r),
      (e: unknown) => (settled = e),
    );
    await until(hub, clock, () => false, 3).catch(() => undefined); // three round timeouts pass: nothing may happen
    expect(settled).toBeUndefined();
    const [proposal] = raj.guardian.keyChanges();
    expect(proposal).toMatchObject({ proposer: keyOf(ann), state: 'waiting', approvers: [keyOf(ann)], needed: 2 });
    // The proposal says who invited the tablet, and that Ann's devices would sign alone afterwards.
    const inviters = invitersOf(raj.guardian.log()!.entries(), raj.guardian.wallet()!.pub);
    expect(inviters.get(keyOf(annTablet))).toBe(keyOf(ann));
    expect(soleControllers(proposal!.proposal, raj.guardian.wallet()!.pub, inviters)).toEqual([keyOf(ann)]);
    for (const honest of [raj, mia]) {
      expect(reshareEnvelopesBy(ann, honest)).toEqual([]); // dealt nothing
      expect(staged(honest)).toEqual([]);
      expect((await getCurrentEpoch(honest.store, walletId))!.epoch).toBe(0);
    }
    expect(reshareEnvelopesBy(raj, ann)).toEqual([]); // not even the proposer's own device starts alone
    await signTogether(hub, clock, raj, mia, 'still ours');

    // Raj and Mia deny it: closed for everyone, the proposer is told, and a late approval is refused.
    raj.guardian.denyKeyChange(proposal!.id, 'Not without talking to us');
    mia.guardian.denyKeyChange(proposal!.id, 'No');
    await until(hub, clock, () => settled !== undefined, 0);
    expect(settled).toMatchObject({ code: 'POLICY_DENIED' });
    for (const d of [ann, raj, mia]) expect(d.guardian.keyChanges()[0]!.state).toBe('denied');
    expect(() => raj.guardian.approveKeyChange(proposal!.id)).toThrow(/can no longer be approved/);
    await signTogether(hub, clock, mia, ann, 'still three of us');
  });

  it('t − 1 approvals run nothing; the t-th starts it, and only the commit promotes', async () => {
    const { hub, clock, devices } = await wallet(5, 3, 62);
    let done = false;
    void devices[0]!.guardian.refresh().then(() => (done = true));
    await hub.settle();
    const id = devices[1]!.guardian.keyChanges()[0]!.id;
    devices[1]!.guardian.approveKeyChange(id); // 2 of 3
    await until(hub, clock, () => false, 2).catch(() => undefined);
    expect(done).toBe(false);
    for (const d of devices) expect([reshareEnvelopesBy(devices[0]!, d), staged(d)]).toEqual([[], []]);
    devices[4]!.guardian.approveKeyChange(id); // 3 of 3
    await until(hub, clock, () => done && devices.every((d) => d.guardian.wallet()!.pub.epoch === 1), 0);
    const promoted = devices[2]!.guardian
      .log()!
      .entries()
      .filter((e) => e.kind === 'epoch-promoted');
    expect(new Set(promoted.map((e) => e.author)).size).toBeGreaterThanOrEqual(3);
    await signTogether(hub, clock, devices[3]!, [devices[4]!, devices[0]!], 'after the refresh');
  });

  it('a withdrawn or expired proposal runs nothing, for every device', async () => {
    const { hub, clock, devices } = await wallet(3, 2, 63);
    const outcomes: unknown[] = [];
    void devices[0]!.guardian.refresh().catch((e: unknown) => outcomes.push(e));
    await hub.settle();
    const first = devices[1]!.guardian.keyChanges()[0]!.id;
    devices[0]!.guardian.denyKeyChange(first, 'Changed my mind'); // the proposer's own denial withdraws it
    await hub.settle();
    for (const d of devices) expect(d.guardian.keyChanges().find((s) => s.id === first)).toMatchObject({ state: 'withdrawn', approvers: [] });
    expect(() => devices[1]!.guardian.approveKeyChange(first)).toThrow(/withdrawn/);

    void devices[1]!.guardian.refresh().catch((e: unknown) => outcomes.push(e));
    await hub.settle();
    const second = devices[2]!.guardian.keyChanges().find((s) => s.id !== first)!.id;
    clock.advance(KEY_CHANGE_TTL_MS + 1);
    await hub.settle();
    for (const d of devices) expect(d.guardian.keyChanges().find((s) => s.id === second)!.state).toBe('expired');
    expect(() => devices[2]!.guardian.approveKeyChange(second)).toThrow(/expired/);
    await hub.settle();
    for (const d of devices) expect([d.guardian.wallet()!.pub.epoch, staged(d)]).toEqual([0, []]);
    expect(outcomes).toHaveLength(1); // the withdrawn one told its proposer; the expired one is shown as such
  });

  it('two proposals for one epoch at the same moment: every device runs the same one and shows the other superseded', async () => {
    const { hub, clock, devices } = await wallet(3, 2, 64);
    const [a, b, c] = devices as [Device, Device, Device];
    a.peer!.setOnline(false);
    b.peer!.setOnline(false);
    const results: unknown[] = [];
    void a.guardian.refresh().then(
      (r) => results.push(r),
      (e: unknown) => results.push(e),
    );
    void b.guardian.reshare([keyOf(a), keyOf(b), keyOf(c)], 3).then(
      (r) => results.push(r),
      (e: unknown) => results.push(e),
    );
    a.peer!.setOnline(true);
    b.peer!.setOnline(true);
    await hub.settle();
    const views = devices.map((d) =>
      d.guardian
        .keyChanges()
        .map((s) => [s.id, s.state, s.supersededBy ?? ''])
        .sort(),
    );
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
    const winner = views[0]!.find((v) => v[1] === 'waiting')![0]!;
    // Every person approves everything they are shown: only the winner can be approved and run.
    for (const d of devices) for (const s of d.guardian.keyChanges()) approveIfOpen(d.guardian, s.id);
    await until(hub, clock, () => devices.every((d) => d.guardian.wallet()!.pub.epoch === 1), 0);
    const ends = devices.map((d) => [
      d.guardian.wallet()!.pub.threshold,
      toHex(d.guardian.wallet()!.pub.verifyingShares[d.guardian.wallet()!.pub.roster.identifiers[0]!]!),
    ]);
    expect(new Set(ends.map((x) => x.join())).size).toBe(1);
    const winnerKind = a.guardian
      .log()!
      .entries()
      .find((e) => e.id === winner)!;
    expect(winnerKind.kind).toBe(EPOCH_ANNOUNCEMENT_KIND);
    expect(ends[0]![0]).toBe(winnerKind.author === keyOf(a) ? 2 : 3);
  });
});

describe('commit before forget', () => {
  it('4 holders (t = 3) → 3 (t′ = 2), a new holder stalls after confirming: the leaver keeps its share and the old epoch signs', async () => {
    let stalled = false;
    const { hub, clock, devices, walletId } = await wallet(4, 3, 65, {
      armed: (_k, protocol, round, d) => (protocol === 'reshare' && round === 3 && d.name === 'g3' && !stalled ? ((stalled = true), 'drop-after') : undefined),
    });
    const [g1, g2, g3, leaver] = devices as [Device, Device, Device, Device];
    for (const d of devices) approvesKeyChanges(d.guardian);
    let settled: unknown;
    void g1.guardian.reshare([keyOf(g1), keyOf(g2), keyOf(g3)], 2).then(
      (r) => (settled = r),
      (e: unknown) => (settled = e),
    );
    await until(hub, clock, () => settled !== undefined);
    expect(stalled).toBe(true);
    expect(settled).toMatchObject({ code: 'ABORTED' });
    expect(leaver.guardian.wallet()!.pub.epoch).toBe(0);
    expect((await getCurrentEpoch(leaver.store, walletId))!.epoch).toBe(0);
    expect(leaver.events.some((e) => e.type === 'left')).toBe(false);
    g3.peer!.setOnline(true);
    await hub.settle();
    for (const d of devices) expect(d.guardian.wallet()!.pub.epoch).toBe(0);
    // The old epoch (t = 3) signs with the leaver among the three.
    await signTogether(hub, clock, leaver, [g1, g2], 'old epoch');
  });

  it('a refresh where one device misses the last round: when it comes back it promotes from the commit, and every pair of the new epoch signs', async () => {
    let cut = false;
    const { hub, clock, devices, walletId } = await wallet(3, 2, 66, {
      armed: (_k, protocol, round, d) => (protocol === 'refresh' && round === 5 && d.name === 'g3' && !cut ? ((cut = true), 'drop-after') : undefined),
    });
    const [g1, g2, g3] = devices as [Device, Device, Device];
    for (const d of devices) approvesKeyChanges(d.guardian);
    let done = false;
    void g1.guardian.refresh().then(() => (done = true));
    await until(hub, clock, () => done && g2.guardian.wallet()!.pub.epoch === 1);
    expect(cut).toBe(true);
    await until(hub, clock, () => false, 2).catch(() => undefined); // g3's run gives up on the last round
    expect(g3.guardian.wallet()!.pub.epoch).toBe(0);
    expect(staged(g3)).toHaveLength(1); // confirmed and sealed, waiting for the commit
    expect(g1.guardian.catchingUp()).toEqual([keyOf(g3)]); // shown as catching up
    g3.peer!.setOnline(true);
    await until(hub, clock, () => g3.guardian.wallet()!.pub.epoch === 1, 0);
    expect((await getCurrentEpoch(g3.store, walletId))!.epoch).toBe(1);
    expect(staged(g3)).toEqual([]);
    await hub.settle();
    expect(g1.guardian.catchingUp()).toEqual([]); // it said so once it promoted
    await signTogether(hub, clock, g1, g2, 'one and two');
    await signTogether(hub, clock, g1, g3, 'one and three');
    await signTogether(hub, clock, g3, g2, 'three and two');
  });
});

describe('a guardian’s own rules for key changes', () => {
  it('a device whose rule holds key changes refuses its person’s approval (nothing goes into the log) until the rule lets it', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 67 });
    const clock = new ManualClock();
    let waitUntil = Number.POSITIVE_INFINITY;
    const holding = {
      keyChangePolicy: () =>
        clock.now() < waitUntil ? { allow: false as const, reason: 'Your rule: changes to the guardians wait 48 h' } : { allow: true as const },
    };
    const devices = [
      await makeDevice(hub, clock, 'g1', { approvesKeyChanges: false }),
      await makeDevice(hub, clock, 'g2', { approvesKeyChanges: false, guardian: holding }),
      await makeDevice(hub, clock, 'g3', { approvesKeyChanges: false, guardian: holding }),
    ];
    await createWalletAmong(devices, 2);
    await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
    let done = false;
    void devices[0]!.guardian.refresh().then(() => (done = true));
    await hub.settle();
    const id = devices[1]!.guardian.keyChanges()[0]!.id;
    const approvals = () =>
      devices[0]!.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'approval').length;
    expect(() => devices[1]!.guardian.approveKeyChange(id)).toThrow(/wait 48 h/);
    await hub.settle();
    expect([approvals(), done, devices[0]!.guardian.keyChanges()[0]!.state]).toEqual([0, false, 'waiting']);
    waitUntil = clock.now();
    devices[1]!.guardian.approveKeyChange(id);
    await until(hub, clock, () => done && devices.every((d) => d.guardian.wallet()!.pub.epoch === 1), 0);
  });
});

/**
 * More than t guardians approving at once: approvals reach devices in different orders, yet all
 * sign with one announced signer set, on the first attempt (no timeout, no blame).
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify } from '../../src/core/index.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { QUORUM_LOG_KIND, decodeQuorum, encodeQuorum } from '../../src/protocol/signingRequestCodec.ts';
import { countingSignerSets } from '../../src/protocol/signingCoordinator.ts';
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
    const res = await signature;
    expect(frostVerify(a.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);
    expect(logs.length).toBeGreaterThanOrEqual(3); // every device's log is checked (not a vacuous loop)
    for (const log of logs) {
      const kinds = log.entries().map((e) => e.kind);
      expect(kinds.filter((k) => k === QUORUM_LOG_KIND)).toHaveLength(1);
      expect(kinds.filter((k) => k === 'blame')).toHaveLength(0);
    }
  });

  it('an approver’s own signer-set announcement is ignored: everyone signs with the requester’s set', async () => {
    const hub = createMemoryHub({ delayMs: 8, seed: 5 });
    const clock = new ManualClock();
    // Carol runs honest code but also plays a rogue coordinator: as soon as she sees the requester's
    // announcement she announces a set of her own (Bob and herself), which would also be t approvers.
    const rogue: string[] = [];
    const carolLog = (log: RequestLog, d: Device) => {
      log.subscribe((e) => {
        if (e.kind !== QUORUM_LOG_KIND || e.author === d.identity.publicKey || rogue.length > 0) return;
        const { requestId } = decodeQuorum(e.body);
        const bob = devices[1]!.identity.publicKey;
        rogue.push(bob, d.identity.publicKey);
        queueMicrotask(() => log.append(QUORUM_LOG_KIND, encodeQuorum(requestId, rogue))); // not inside the observer
      });
      return log;
    };
    const devices: Device[] = [];
    devices.push(await makeDevice(hub, clock, 'alice'), await makeDevice(hub, clock, 'bob'), await makeDevice(hub, clock, 'carol', { wrapLog: carolLog }));
    await createWalletAmong(devices, 2);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 3, 0);
    const [alice, bob, carol] = devices as [Device, Device, Device];

    const { requestId, signature } = await alice.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('whose set?') });
    await hub.settle();
    await Promise.all([bob.guardian.approve(requestId), carol.guardian.approve(requestId)]);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    await hub.settle();
    expect(rogue).toHaveLength(2); // the rogue announcement really was made
    const requesterSet = (d: Device) =>
      d.events.filter((e) => e.type === 'signing' && e.requestId === requestId).map((e) => [...(e as { signers: readonly string[] }).signers].sort().join());
    const first = requesterSet(alice)[0]!;
    expect(first.split(',')).toContain(alice.identity.publicKey);
    expect(first.split(',')).toHaveLength(2);
    for (const d of devices) {
      const sets = requesterSet(d);
      if (first.includes(d.identity.publicKey)) expect(sets.length).toBeGreaterThan(0); // each signer did sign
      for (const set of sets) expect(set).toBe(first); // never switched to Carol's set
    }
    const res = await signature;
    expect([...res.signers].sort().join()).toBe(first);
  });

  it('which signer-set announcements count: the requester’s until blame names it, then only the current coordinator’s', () => {
    const [R, A, B, C, D] = ['r', 'a', 'b', 'c', 'd'];
    const approvers = [A, B, C, D];
    const sets = (...xs: [string, string[]][]) => xs.map(([by, signers]) => ({ by, signers }));
    const count = (blamed: string[], announced: ReturnType<typeof sets>) =>
      countingSignerSets({ requester: R, approvers, blamed: new Set(blamed), announced, threshold: 2 });
    // No blame: the requester coordinates; an approver's own set doesn't count, nor one of the wrong size or with a non-approver.
    const calm = count([], sets([R, [A, B]], [A, [A, C]], [R, [A, B, C]], [R, [A, 'x']]));
    expect(calm.coordinator).toBe(R);
    expect(calm.valid.map((v) => v.signers)).toEqual([[A, B]]);
    // The requester is blamed: A (first unblamed approver) coordinates; the requester's later set
    // and B's are ignored, so neither can override A's.
    const blamedRequester = count([R], sets([R, [A, B]], [A, [A, C]], [R, [B, D]], [B, [B, C]]));
    expect(blamedRequester.coordinator).toBe(A);
    expect(blamedRequester.valid.map((v) => [v.by, v.signers])).toEqual([[A, [A, C]]]);
    // A is blamed too: only B's sets count now, A's earlier one no longer.
    const next = count([R, A], sets([A, [A, C]], [B, [B, C]], [C, [C, D]]));
    expect(next.coordinator).toBe(B);
    expect(next.valid.map((v) => v.by)).toEqual([B]);
  });
});

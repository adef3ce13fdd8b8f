/**
 * Every signing request ends, the same way on every device (src/protocol/requestLifecycle.ts):
 * denied after n − t + 1 denials, withdrawn by its requester, expired after a week, failed when a key
 * change replaced the shares it was asked for. An ended request can't be approved, and no device —
 * even given a late approval written straight into the log — starts signing it.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { SigningRequest } from '../../src/core/index.ts';
import { encodeApproval, encodeDenial, QUORUM_LOG_KIND, REQUEST_TTL_MS, requestStatus, requestVotes, type RequestVotes } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

async function wallet(n: number, t: number, seed: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const devices: Device[] = [];
  for (let i = 0; i < n; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`));
  await createWalletAmong(devices, t);
  await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
  return { hub, clock, devices };
}

async function ask(a: Device, text: string) {
  const { requestId, signature } = await a.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes(text) });
  const outcome: { error?: unknown; signed?: boolean } = {};
  signature.then(
    () => (outcome.signed = true),
    (e: unknown) => (outcome.error = e),
  );
  return { requestId, outcome };
}

const stateOn = (d: Device, id: string) => d.guardian.requests().find((r) => r.requestId === id);
const signingEntries = (d: Device) =>
  d.guardian
    .log()!
    .entries()
    .filter((e) => e.kind === QUORUM_LOG_KIND || e.kind === 'envelope');
const endedEvents = (d: Device, id: string) => d.events.filter((e) => e.type === 'request-ended' && e.requestId === id);

/** A hostile or late approval, written into the log without the facade's checks. */
const rawApproval = (d: Device, id: string) => d.guardian.log()!.append('approval', encodeApproval(id));

describe('a signing request ends the same way on every device', () => {
  it('denied once n − t + 1 guardians denied (2-of-4: the third denial), for everyone; nobody signs it afterwards', async () => {
    const { hub, clock, devices } = await wallet(4, 2, 71);
    const [a, b, c, d] = devices as [Device, Device, Device, Device];
    const before = signingEntries(a).length;
    const { requestId, outcome } = await ask(a, 'pay the plumber');
    await hub.settle();
    b.guardian.deny(requestId, 'Too much');
    c.guardian.deny(requestId, 'Who is this plumber?');
    await hub.settle();
    for (const x of devices) expect(stateOn(x, requestId)!.state).toBe('waiting'); // two denials: two approvals still possible
    d.guardian.deny(requestId, 'No');
    await until(hub, clock, () => outcome.error !== undefined, 0);
    for (const x of devices) {
      expect(stateOn(x, requestId)).toMatchObject({ state: 'denied', reason: expect.stringContaining('3 of 4 guardians denied') });
      expect(endedEvents(x, requestId)).toHaveLength(1);
    }
    expect(outcome.error).toMatchObject({ code: 'POLICY_DENIED' });
    await expect(b.guardian.approve(requestId)).rejects.toMatchObject({ code: 'REQUEST_ENDED' });
    rawApproval(b, requestId); // a late approval in the log: t approvals now, yet it stays denied
    await until(hub, clock, () => false, 2).catch(() => undefined);
    for (const x of devices) expect([stateOn(x, requestId)!.state, signingEntries(x).length]).toEqual(['denied', before]);
    expect(outcome.signed).toBeUndefined();
  });

  it('withdrawn by the guardian who asked: ended for everyone, only the requester may withdraw', async () => {
    const { hub, clock, devices } = await wallet(3, 2, 72);
    const [a, b, c] = devices as [Device, Device, Device];
    const before = signingEntries(b).length;
    const { requestId, outcome } = await ask(a, 'changed my mind');
    await hub.settle();
    expect(() => b.guardian.withdraw(requestId)).toThrow(/Only the guardian who asked/);
    a.guardian.withdraw(requestId, 'Sent it by mistake');
    await until(hub, clock, () => outcome.error !== undefined, 0);
    for (const x of devices) expect(stateOn(x, requestId)).toMatchObject({ state: 'withdrawn', reason: 'Sent it by mistake' });
    await expect(b.guardian.approve(requestId)).rejects.toMatchObject({ code: 'REQUEST_ENDED' });
    rawApproval(c, requestId);
    await until(hub, clock, () => false, 2).catch(() => undefined);
    for (const x of devices) expect([stateOn(x, requestId)!.state, signingEntries(x).length]).toEqual(['withdrawn', before]);
  });

  it('expires a week after it was asked: shown as expired everywhere, can no longer be approved', async () => {
    const { hub, clock, devices } = await wallet(3, 2, 73);
    const [a, b] = devices as [Device, Device, Device];
    const { requestId, outcome } = await ask(a, 'someday');
    await hub.settle();
    expect(stateOn(b, requestId)).toMatchObject({ state: 'waiting', expiresAt: stateOn(a, requestId)!.expiresAt });
    clock.advance(REQUEST_TTL_MS + 1);
    await hub.settle();
    for (const x of devices) {
      expect(stateOn(x, requestId)!.state).toBe('expired');
      expect(endedEvents(x, requestId)).toHaveLength(1); // told by the clock, without a new log entry
    }
    expect(outcome.error).toMatchObject({ code: 'EXPIRED' });
    await expect(b.guardian.approve(requestId)).rejects.toMatchObject({ code: 'REQUEST_ENDED' });
  });

  it('a request for shares a key change replaced fails with a plain reason before anyone else approved it', async () => {
    const { hub, clock, devices } = await wallet(3, 2, 74);
    const [a, b] = devices as [Device, Device, Device];
    const { requestId, outcome } = await ask(a, 'before the refresh');
    await hub.settle();
    let refreshed = false;
    void b.guardian.refresh().then(() => (refreshed = true));
    await until(hub, clock, () => refreshed && devices.every((d) => d.guardian.wallet()!.pub.epoch === 1));
    for (const x of devices) expect(stateOn(x, requestId)).toMatchObject({ state: 'failed', reason: expect.stringContaining('renewed their key shares') });
    expect(outcome.error).toMatchObject({ code: 'WRONG_EPOCH' });
    await expect(b.guardian.approve(requestId)).rejects.toMatchObject({ code: 'REQUEST_ENDED' });
  });
});

describe('requestStatus: a pure function of the votes (and the clock)', () => {
  const members = ['a', 'b', 'c', 'd'];
  const base = {
    request: { id: 'r', author: 'a', at: 0, epoch: 3 },
    wallet: { members, threshold: 2, epoch: 3 },
    now: 1,
    signed: false,
    maxAttempts: 8,
    validSets: [],
  };
  const votes = (v: Partial<RequestVotes>): RequestVotes => ({
    approvers: [],
    denials: new Map(),
    blamed: new Set(),
    announced: [],
    submissionFailures: new Map(),
    ...v,
  });

  it('fails naming the culprits once fewer than t unblamed guardians are left', () => {
    expect(requestStatus({ ...base, votes: votes({ approvers: ['a', 'b'], blamed: new Set(['b', 'c']) }) }).state).toBe('approved');
    const failed = requestStatus({ ...base, votes: votes({ approvers: ['a', 'b'], blamed: new Set(['b', 'c', 'd', 'x']) }) });
    expect(failed).toMatchObject({ state: 'failed', culprits: ['b', 'c', 'd'] }); // non-members never count
  });

  it('fails after the last allowed signer set was blamed too', () => {
    const sets = Array.from({ length: 8 }, () => ({ signers: ['a', 'b'] }));
    expect(requestStatus({ ...base, validSets: sets, votes: votes({ approvers: ['a', 'b'], blamed: new Set(['b']) }) }).state).toBe('failed');
    expect(requestStatus({ ...base, validSets: sets.slice(1), votes: votes({ approvers: ['a', 'b'], blamed: new Set(['b']) }) }).state).toBe('approved');
  });

  it('a denial after an approval stands, in any log order', () => {
    const entries = (order: 'approve-first' | 'deny-first') => {
      const approval = { id: 'e1', kind: 'approval', author: 'b', at: 0, body: encodeApproval('ab'.repeat(32)) };
      const denial = { id: 'e2', kind: 'denial', author: 'b', at: 0, body: encodeDenial('ab'.repeat(32), 'no') };
      return order === 'approve-first' ? [approval, denial] : [denial, approval];
    };
    for (const order of ['approve-first', 'deny-first'] as const) {
      const v = requestVotes(entries(order), 'ab'.repeat(32), members);
      expect([v.approvers, [...v.denials]]).toEqual([[], [['b', 'no']]]);
    }
  });
});

describe('a request the app knows is stale (its nonce was used)', () => {
  it('fails for every device with the reason, before anyone approved it, and cannot be approved', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 75 });
    const clock = new ManualClock();
    const staleReason = (r: SigningRequest) =>
      r.type === 'test-message' && new TextDecoder().decode(r.message) === 'nonce 4' ? 'Another payment was sent first in its place.' : undefined;
    const devices: Device[] = [];
    for (let i = 0; i < 3; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`, { guardian: { staleReason } }));
    await createWalletAmong(devices, 2);
    await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
    const [a, b] = devices as [Device, Device, Device];
    const fresh = await ask(a, 'nonce 5');
    const { requestId, outcome } = await ask(a, 'nonce 4');
    await until(hub, clock, () => outcome.error !== undefined, 0);
    for (const x of devices) expect(stateOn(x, requestId)).toMatchObject({ state: 'failed', reason: 'Another payment was sent first in its place.' });
    expect(stateOn(b, fresh.requestId)!.state).toBe('waiting');
    await expect(b.guardian.approve(requestId)).rejects.toMatchObject({ code: 'REQUEST_ENDED' });
  });
});

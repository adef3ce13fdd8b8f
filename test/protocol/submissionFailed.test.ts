/**
 * A signed request whose sending failed (the vault's call reverted, the bundler refused it): the
 * requester reports it (`submission-failed`), every device shows it failed with the cause, nobody can
 * approve or deny it any more, and any guardian can close it — once (`request-closed`). Only the
 * requester's report counts, only guardians' closes count, and a garbled entry is refused naming its
 * author without changing anything (src/protocol/submissionCodec.ts, requestLifecycle.ts).
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { LogEntry } from '../../src/net/requestLog.ts';
import {
  decodeRequestClosed,
  decodeSubmissionFailed,
  encodeApproval,
  encodeRequestClosed,
  encodeSubmissionFailed,
  REQUEST_CLOSED_LOG_KIND,
  requestStatus,
  requestVotes,
  SUBMISSION_FAILED_LOG_KIND,
} from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

async function wallet(seed: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const devices: Device[] = [];
  for (let i = 0; i < 3; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`));
  await createWalletAmong(devices, 2);
  await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
  return { hub, clock, devices: devices as [Device, Device, Device] };
}

const stateOn = (d: Device, id: string) => d.guardian.requests().find((r) => r.requestId === id);
const ID = 'ab'.repeat(32);

describe('a request whose sending failed', () => {
  it('fails for everyone with its cause once the requester reports it; can no longer be approved; any guardian closes it, once', async () => {
    const { hub, clock, devices } = await wallet(81);
    const [a, b, c] = devices;
    const { requestId, signature } = await a.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('pay the roofer') });
    await hub.settle();
    expect(() => a.guardian.reportSubmissionFailed(requestId, 'too early')).toThrow(/Only an approved request/);
    await b.guardian.approve(requestId);
    await until(hub, clock, () => stateOn(a, requestId)?.state === 'signed', 0);
    await signature;
    expect(() => b.guardian.reportSubmissionFailed(requestId, 'forged')).toThrow(/Only the guardian who asked/);
    expect(() => c.guardian.closeFailed(requestId, 'closed')).toThrow(/Only a request whose sending failed/);

    a.guardian.reportSubmissionFailed(requestId, 'The token contract refused the transfer: the vault holds too little of the token.');
    await hub.settle();
    for (const x of devices)
      expect(stateOn(x, requestId)).toMatchObject({
        state: 'failed',
        submissionFailed: true,
        reason: expect.stringContaining('holds too little of the token'),
      });
    expect(stateOn(a, requestId)!.closed).toBeUndefined();
    await expect(c.guardian.approve(requestId)).rejects.toMatchObject({ code: 'REQUEST_ENDED' });
    expect(() => c.guardian.deny(requestId, 'late')).toThrow(/can no longer be approved/);

    c.guardian.closeFailed(requestId, 'closed');
    await hub.settle();
    for (const x of devices) expect(stateOn(x, requestId)).toMatchObject({ state: 'failed', closed: { by: c.identity.publicKey, how: 'closed' } });
    expect(() => b.guardian.closeFailed(requestId, 'retried')).toThrow(/already closed/);
    // A second close written straight into the log changes nothing: the first one counts.
    b.guardian.log()!.append(REQUEST_CLOSED_LOG_KIND, encodeRequestClosed(requestId, 'retried'));
    await hub.settle();
    for (const x of devices) expect(stateOn(x, requestId)!.closed).toEqual({ by: c.identity.publicKey, how: 'closed' });
  });

  it("another guardian's report, or the requester's before t approvals, ends nothing; a garbled entry is refused naming its author", async () => {
    const { hub, clock, devices } = await wallet(82);
    const [a, b, c] = devices;
    const { requestId, signature } = await a.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('one more') });
    signature.catch(() => undefined); // checked through the states below
    await hub.settle();
    a.guardian.log()!.append(SUBMISSION_FAILED_LOG_KIND, encodeSubmissionFailed(requestId, 'not approved yet')); // 1 of 2 approvals
    b.guardian.log()!.append(SUBMISSION_FAILED_LOG_KIND, encodeSubmissionFailed(requestId, 'b is not the requester'));
    const garbled = encodeRequestClosed(requestId, 'closed');
    garbled[garbled.length - 1] = 7; // neither closed nor retried
    c.guardian.log()!.append(REQUEST_CLOSED_LOG_KIND, garbled);
    await hub.settle();
    for (const x of devices) expect(stateOn(x, requestId)).toMatchObject({ state: 'waiting' });
    const refused = a.events.filter((e) => e.type === 'rejected' && e.from === c.identity.publicKey);
    expect(refused).toEqual([expect.objectContaining({ code: 'MALFORMED' })]);
    // b's report stays ignored after approval too: only the requester submits.
    await b.guardian.approve(requestId);
    await until(hub, clock, () => stateOn(a, requestId)?.state === 'signed', 0);
    for (const x of devices) expect(stateOn(x, requestId)!.submissionFailed).toBeUndefined();
  });
});

describe('submission entries: decoding and who counts', () => {
  const entry = (kind: string, author: string, body: Uint8Array, i: number): LogEntry => ({ id: `e${i}`, author, kind, body, at: i });

  it('round-trips and refuses every malformed body', () => {
    expect(decodeSubmissionFailed(encodeSubmissionFailed(ID, 'reverted'))).toEqual({ requestId: ID, reason: 'reverted' });
    expect(decodeSubmissionFailed(encodeSubmissionFailed(ID, 'x'.repeat(1000))).reason).toHaveLength(300);
    expect(decodeRequestClosed(encodeRequestClosed(ID, 'retried'))).toEqual({ requestId: ID, how: 'retried' });
    const failed = encodeSubmissionFailed(ID, 'reverted');
    const closed = encodeRequestClosed(ID, 'closed');
    for (const bad of [failed.slice(0, 20), failed.slice(0, -1), new Uint8Array([...failed, 0]), new Uint8Array([2, ...failed.slice(1)])])
      expect(() => decodeSubmissionFailed(bad)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    for (const bad of [
      closed.slice(0, -1),
      new Uint8Array([...closed, 0]),
      new Uint8Array([...closed.slice(0, -1), 2]),
      new Uint8Array([9, ...closed.slice(1)]),
    ])
      expect(() => decodeRequestClosed(bad)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it("a non-guardian's report or close counts for nothing; unreadable ones are skipped", () => {
    const members = ['a', 'b', 'c'];
    const entries = [
      entry(SUBMISSION_FAILED_LOG_KIND, 'mallory', encodeSubmissionFailed(ID, 'forged'), 1),
      entry(REQUEST_CLOSED_LOG_KIND, 'mallory', encodeRequestClosed(ID, 'retried'), 2),
      entry(REQUEST_CLOSED_LOG_KIND, 'b', new Uint8Array([1, 2, 3]), 3),
      entry('approval', 'a', encodeApproval(ID), 4),
    ];
    const v = requestVotes(entries, ID, members);
    expect([...v.submissionFailures]).toEqual([]);
    expect([
      ...requestVotes([...entries, entry(SUBMISSION_FAILED_LOG_KIND, 'a', encodeSubmissionFailed(ID, 'real'), 5)], ID, members).submissionFailures,
    ]).toEqual([['a', { reason: 'real', approvalsBefore: 1 }]]);
    expect(v.closed).toBeUndefined();
    const honest = requestVotes([...entries, entry(REQUEST_CLOSED_LOG_KIND, 'c', encodeRequestClosed(ID, 'closed'), 5)], ID, members);
    expect(honest.closed).toEqual({ by: 'c', how: 'closed' });
  });
  it("a hostile guardian's close written before the requester's report counts for nothing: it can't end a later failure in advance", () => {
    const members = ['a', 'b', 'c'];
    const status = (entries: LogEntry[]) =>
      requestStatus({
        request: { id: ID, author: 'a', at: 0, epoch: 0 },
        votes: requestVotes(entries, ID, members),
        wallet: { members, threshold: 2, epoch: 0 },
        now: 1,
        signed: true,
        maxAttempts: 3,
        validSets: [],
      });
    const before = [
      entry('approval', 'a', encodeApproval(ID), 1),
      entry('approval', 'b', encodeApproval(ID), 2),
      // c closes ahead of time (and reports a failure of its own first, which counts for nothing either).
      entry(SUBMISSION_FAILED_LOG_KIND, 'c', encodeSubmissionFailed(ID, 'not mine to report'), 3),
      entry(REQUEST_CLOSED_LOG_KIND, 'c', encodeRequestClosed(ID, 'retried'), 4),
      entry(SUBMISSION_FAILED_LOG_KIND, 'a', encodeSubmissionFailed(ID, 'reverted'), 5),
    ];
    const failed = status(before);
    expect(failed).toMatchObject({ state: 'failed', submissionFailed: true, reason: 'reverted' });
    expect(failed.closed).toBeUndefined();
    // A close after the report counts, the first one.
    const after = [
      ...before,
      entry(REQUEST_CLOSED_LOG_KIND, 'b', encodeRequestClosed(ID, 'closed'), 6),
      entry(REQUEST_CLOSED_LOG_KIND, 'c', encodeRequestClosed(ID, 'retried'), 7),
    ];
    expect(status(after).closed).toEqual({ by: 'b', how: 'closed' });
  });
});

/** The envelope router: early envelopes wait for their session; evicted buffers are reread from the log. */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '@noble/hashes/utils.js';
import { createEnvelopeRouter, encodeEnvelopeBatches, sealEnvelope, type Envelope, type ProtocolEvent } from '../../src/protocol/index.ts';
import { twoLogsOnOneDoc } from './helpers.ts';

describe('envelope router', () => {
  it('delivers envelopes that arrived before their session started, even after 300 other sessions', () => {
    const {
      identities: [a, b],
      logs: [logA, logB],
    } = twoLogsOnOneDoc();
    const events: ProtocolEvent[] = [];
    const router = createEnvelopeRouter({ log: logB, identity: b, onEvent: (e) => events.push(e) });
    const sessions = Array.from({ length: 300 }, () => randomBytes(32));
    for (const session of sessions)
      logA.append('envelope', encodeEnvelopeBatches([sealEnvelope(a, { session, protocol: 'frost-sign', round: 1 }, session)])[0]!);

    for (const i of [0, 150, 299]) {
      const got: Envelope[] = [];
      router.register(sessions[i]!, (env) => got.push(env));
      expect(got.map((e) => e.body)).toEqual([sessions[i]]); // the first two were evicted and reread
    }
    // Once running, new envelopes go straight to the handler; a finished session gets nothing more.
    const late: Envelope[] = [];
    const session = randomBytes(32);
    const stop = router.register(session, (env) => late.push(env));
    logA.append('envelope', encodeEnvelopeBatches([sealEnvelope(a, { session, protocol: 'frost-sign', round: 2 }, session)])[0]!);
    stop();
    logA.append('envelope', encodeEnvelopeBatches([sealEnvelope(a, { session, protocol: 'frost-sign', round: 3 }, session)])[0]!);
    expect(late.map((e) => e.round)).toEqual([2]);
    expect(() => router.register(session, () => undefined)).toThrow(expect.objectContaining({ code: 'STATE_CONSUMED' }));
    expect(events).toEqual([]);
  });
});

/**
 * A participant that floods direct messages before announcing its session key: the runner keeps at
 * most what the protocol can legitimately have (one per direct round and recipient) and reports the
 * rest, so a signed participant can't grow another device's memory without bound.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '@noble/hashes/utils.js';
import { identifierOf } from '../../src/core/index.ts';
import { hexToBytesStrict } from '../../src/device/byteCodec.ts';
import type { ProtocolDescriptor } from '../../src/protocol/descriptor.ts';
import { createEnvelopeRouter, encodeEnvelopeBatches, sealEnvelope, type ProtocolEvent } from '../../src/protocol/index.ts';
import { runProtocol } from '../../src/protocol/roundRunner.ts';
import { ManualClock, twoLogsOnOneDoc } from './helpers.ts';

describe('round runner', () => {
  it('parks at most one direct message per round and recipient from a sender whose session key it lacks; the rest are refused', async () => {
    const {
      identities: [honest, flooder],
      logs: [log, flooderLog],
    } = twoLogsOnOneDoc();
    const members = [honest.publicKey, flooder.publicKey];
    const events: ProtocolEvent[] = [];
    const onEvent = (e: ProtocolEvent) => void events.push(e);
    const session = randomBytes(32);
    const flooderId = identifierOf(hexToBytesStrict(flooder.publicKey, 'key', 33));
    // Two rounds, the second point-to-point (encrypted between session keys).
    const descriptor: ProtocolDescriptor<undefined, string> = {
      protocol: 'dkg',
      rounds: ['broadcast', 'direct'],
      setup: () => ({
        session,
        participants: members,
        requestId: new Uint8Array(32),
        party: {
          start: async () => ({ broadcast: Uint8Array.of(1) }),
          receive: async (round) => (round === 1 ? { next: { direct: new Map([[flooderId, Uint8Array.of(2)]]) } } : { result: 'done' }),
        },
      }),
    };
    const run = runProtocol(descriptor, undefined, {
      identity: honest,
      log,
      router: createEnvelopeRouter({ log, identity: honest, onEvent }),
      clock: new ManualClock(),
      roundTimeoutMs: 10_000,
      onEvent,
    });
    run.result.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 0));

    // 20 signed round-2 messages for the honest device, and no session key (round 0) at all.
    for (let i = 0; i < 20; i++)
      flooderLog.append(
        'envelope',
        encodeEnvelopeBatches([sealEnvelope(flooder, { session, protocol: 'dkg', round: 2, to: honest.publicKey }, randomBytes(48))])[0]!,
      );
    const refused = events.filter((e) => e.type === 'rejected' && e.from === flooder.publicKey);
    // One direct round × two participants may wait; the other 18 are refused, naming the sender.
    expect(refused).toHaveLength(18);
    expect(refused[0]).toMatchObject({ code: 'MALFORMED', reason: 'More direct messages than the protocol has, before the sender’s session key' });
    run.cancel();
  });
});

/**
 * A hostile room member (it holds a guardian's device key and can write anything into the shared
 * Yjs doc): forged envelopes, bad signatures, other sessions, wrong rounds, replayed entries,
 * garbage. The honest protocol still completes, and every bad message is rejected before the core
 * sees it, naming its author.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify } from '../../src/core/index.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { hexToBytesStrict } from '../../src/device/byteCodec.ts';
import { encodeLogEntry } from '../../src/net/logEntryCodec.ts';
import { LOG_ARRAY_NAME } from '../../src/net/requestLog.ts';
import { encodeEnvelopeBatches, sealEnvelope, type ProtocolEvent } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, makeDevices, ManualClock, ROUND_TIMEOUT, settle, until, type Device } from './helpers.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement } from '../../src/protocol/epochAnnouncement.ts';

describe('a hostile room member', () => {
  it('cannot disturb DKG or signing; each bad message is rejected naming its author', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 3 });
    const clock = new ManualClock();
    const devices = await makeDevices(hub, clock, 5);
    const compromised = devices[4]!; // its key is in the roster; the attacker writes with it
    const victim = devices[0]!;
    const hostile = hub.addHostilePeer();
    const outsider = createDeviceIdentity();
    let walletId = '';
    let injected = false;

    const inject = (session: Uint8Array) => {
      const entry = (body: Uint8Array, identity = compromised.identity) =>
        encodeLogEntry({ identity, scope: walletId, kind: 'envelope', at: clock.now(), body }).bytes;
      const honest = sealEnvelope(compromised.identity, { session, protocol: 'dkg', round: 1 }, randomBytes(40));
      // 1. forged: an envelope claiming to come from the victim (sender bytes swapped in)
      const forged = honest.slice();
      forged.set(hexToBytesStrict(victim.identity.publicKey, 'k', 33), 3 + 1 + 32 + 2 + 3 + 1);
      // 2. a bad signature on an envelope of the running session
      const badSig = honest.slice();
      badSig[badSig.length - 1]! ^= 1;
      // 3. other session, wrong round, wrong protocol for this session
      const otherSession = sealEnvelope(compromised.identity, { session: randomBytes(32), protocol: 'dkg', round: 1 }, randomBytes(40));
      const wrongRound = sealEnvelope(compromised.identity, { session, protocol: 'dkg', round: 9 }, randomBytes(40));
      const wrongProtocol = sealEnvelope(compromised.identity, { session, protocol: 'frost-sign', round: 1 }, randomBytes(40));
      // 4. a replay of an existing entry, garbage, and an outsider's well-signed entry
      const existing = (hostile.doc.getArray(LOG_ARRAY_NAME).toArray() as unknown[]).find((v) => v instanceof Uint8Array) as Uint8Array;
      hostile.inject(
        entry(encodeEnvelopeBatches([forged])[0]!),
        entry(encodeEnvelopeBatches([badSig])[0]!),
        entry(encodeEnvelopeBatches([otherSession, wrongRound, wrongProtocol])[0]!),
        entry(randomBytes(64)),
        existing.slice(),
        randomBytes(200),
        'not bytes',
        42,
        entry(encodeEnvelopeBatches([sealEnvelope(outsider, { session, protocol: 'dkg', round: 1 }, randomBytes(40))])[0]!, outsider),
      );
    };
    let injectedIntoSigning = false;
    victim.guardian.on((e) => {
      if (!injected && e.type === 'progress' && e.protocol === 'dkg') {
        injected = true;
        inject(hexToBytesStrict(e.session, 'session', 32));
      }
      // 5. a guardian outside the signing quorum sends into the signing session
      if (!injectedIntoSigning && e.type === 'progress' && e.protocol === 'frost-sign') {
        injectedIntoSigning = true;
        const session = hexToBytesStrict(e.session, 'session', 32);
        const env = sealEnvelope(compromised.identity, { session, protocol: 'frost-sign', round: 1 }, randomBytes(40));
        hostile.inject(
          encodeLogEntry({ identity: compromised.identity, scope: walletId, kind: 'envelope', at: clock.now(), body: encodeEnvelopeBatches([env])[0]! }).bytes,
        );
      }
    });

    walletId = await createWalletAmong(devices, 3);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 5, 0);
    expect(injected).toBe(true);

    const { requestId, signature } = await victim.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('still fine') });
    await hub.settle();
    await devices[1]!.guardian.approve(requestId);
    await devices[3]!.guardian.approve(requestId); // quorum g1, g2, g4: the compromised g5 is outside it
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    const res = await signature;
    expect(frostVerify(victim.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);

    const rejected = victim.events.filter((e): e is Extract<ProtocolEvent, { type: 'rejected' }> => e.type === 'rejected');
    const by = (code: string) => rejected.filter((r) => r.code === code);
    const bad = compromised.identity.publicKey;
    expect(injectedIntoSigning).toBe(true);
    expect(res.signers).not.toContain(bad);
    expect(by('UNKNOWN_SENDER').some((r) => r.from === bad && r.reason.includes('log entry author'))).toBe(true); // forged sender
    expect(by('UNKNOWN_SENDER').some((r) => r.from === bad && r.reason.includes('outside this session'))).toBe(true); // not in the quorum
    expect(by('BAD_SIGNATURE').some((r) => r.from === bad)).toBe(true);
    expect(by('WRONG_ROUND').some((r) => r.from === bad)).toBe(true);
    expect(by('WRONG_SESSION').some((r) => r.from === bad)).toBe(true);
    expect(rejected.some((r) => r.reason.includes('replayed'))).toBe(true);
    expect(rejected.some((r) => r.from === outsider.publicKey && r.reason.includes('not a member'))).toBe(true);
    expect(rejected.filter((r) => r.from === undefined).length).toBeGreaterThanOrEqual(2); // garbage
    // No one was blamed for the attacker's noise: nothing reached a core function.
    expect(devices.flatMap((d) => d.events).filter((e) => e.type === 'blame')).toEqual([]);
  });
});

describe('an epoch announcement from a room member who holds no share', () => {
  it('is refused naming its author: it cannot drop a guardian by announcing a reshare', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 11 });
    const clock = new ManualClock();
    const [alice, bob, carol] = await makeDevices(hub, clock, 3);
    await createWalletAmong([alice!, bob!, carol!], 2);
    let ready = 0;
    for (const d of [alice, bob, carol]) void d!.guardian.whenReady().then(() => ready++);
    await until(hub, clock, () => ready === 3, 0);
    let daveLog: RequestLog | undefined;
    const dave = await makeDevice(hub, clock, 'dave', { wrapLog: (log) => (daveLog = log) });
    await dave.guardian.join(await alice!.guardian.inviteGuardian()); // an invited room member, not a holder
    await hub.settle();
    const key = (d: Device) => d.identity.publicKey;
    const pair = [key(alice!), key(bob!)].sort();
    daveLog!.append(EPOCH_ANNOUNCEMENT_KIND, encodeEpochAnnouncement({ kind: 'reshare', epoch: 0, newThreshold: 2, newHolders: pair, dealers: pair }));
    await until(hub, clock, () => alice!.events.some((e) => e.type === 'rejected' && e.from === key(dave)), 2);
    await settle(hub, clock, ROUND_TIMEOUT + 1);
    for (const d of [alice!, bob!]) {
      expect(d.events).toContainEqual(expect.objectContaining({ type: 'rejected', from: key(dave), code: 'UNKNOWN_SENDER' }));
      expect(d.guardian.wallet()!.pub.epoch).toBe(0);
      expect(d.guardian.wallet()!.pub.roster.deviceKeys.length).toBe(3);
    }
    // The holders can still run their own reshare of epoch 0.
    let done = false;
    void alice!.guardian.refresh().then(() => (done = true));
    await until(hub, clock, () => done, 0);
    expect(alice!.guardian.wallet()!.pub.epoch).toBe(1);
  });
});

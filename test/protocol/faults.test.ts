/**
 * Faults among five guardians: a device that drops at every round in turn, and a guardian whose
 * packages are bad. Honest devices finish (signing retries with another quorum) or abort cleanly,
 * naming the culprit; nothing is stored from an aborted DKG and no nonce record is left behind.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError, frostVerify, type ProtocolName } from '../../src/core/index.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { decodeBlame, decodeEnvelope, decodeEnvelopeBatch, encodeEnvelopeBatches, sealEnvelope } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

/** The envelope's bytes as sent (signed part ‖ signature). */
const rebuild = (env: { signed: Uint8Array; sig: Uint8Array }) => new Uint8Array([...env.signed, ...env.sig]);

type Tamper = { protocol: ProtocolName; round: number; act: (d: Device, body: Uint8Array, session: Uint8Array) => Uint8Array | 'drop' };

/** Wraps a device's log so that its first envelope of (protocol, round) is dropped (device goes offline) or altered. */
function tamperingLog(tamper: Tamper | undefined) {
  let armed = true;
  return (log: RequestLog, d: Device): RequestLog => ({
    ...log,
    append(kind, body) {
      if (tamper && armed && kind === 'envelope') {
        const envs = decodeEnvelopeBatch(body).map(decodeEnvelope);
        if (envs[0]!.protocol === tamper.protocol && envs[0]!.round === tamper.round) {
          armed = false;
          const sealed = envs.map((env) => {
            if (env.round !== tamper.round) return rebuild(env); // e.g. the session-key hello riding along
            const out = tamper.act(d, env.body, env.session);
            if (out === 'drop') d.peer!.setOnline(false);
            return out === 'drop' ? rebuild(env) : sealEnvelope(d.identity, { session: env.session, protocol: env.protocol, round: env.round }, out);
          });
          body = encodeEnvelopeBatches(sealed)[0]!;
        }
      }
      return log.append(kind, body);
    },
  });
}

async function fiveDevices(badIndex: number, tamper?: Tamper) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 11 });
  const clock = new ManualClock();
  const devices: Device[] = [];
  for (let i = 0; i < 5; i++) devices.push(await makeDevice(hub, clock, `g${i + 1}`, i === badIndex ? { wrapLog: tamperingLog(tamper) } : {}));
  return { hub, clock, devices };
}

const nonceRecords = (d: Device) => [...d.backend.raw.keys()].filter((k) => k.includes('/nonce/'));
const blamesIn = (d: Device) =>
  d.guardian
    .log()!
    .entries()
    .filter((e) => e.kind === 'blame')
    .map((e) => decodeBlame(e.body));

describe('a guardian that drops out', () => {
  for (const round of [1, 2, 3]) {
    it(`DKG round ${round}: every honest device aborts naming it and stores nothing; the creator's retry succeeds`, async () => {
      const { hub, clock, devices } = await fiveDevices(3, { protocol: 'dkg', round, act: () => 'drop' });
      const walletId = await createWalletAmong(devices, 3);
      const dropped = devices[3]!;
      const honest = devices.filter((d) => d !== dropped);
      const outcomes = honest.map((d) =>
        d.guardian.whenReady().then(
          () => 'ready',
          (e: unknown) => e,
        ),
      );
      const settled: unknown[] = [];
      outcomes.forEach((p, i) => void p.then((v) => (settled[i] = v)));
      await until(hub, clock, () => settled.filter((x) => x !== undefined).length === honest.length);
      for (const err of settled) {
        expect(err).toBeInstanceOf(CairnError);
        expect((err as CairnError).code).toBe('ABORTED');
        expect((err as CairnError).culprits).toEqual([dropped.identity.publicKey]);
      }
      for (const d of honest) {
        expect(await getCurrentEpoch(d.store, walletId)).toBeUndefined();
        expect(blamesIn(d).some((b) => b.culprits.includes(dropped.identity.publicKey) && b.protocol === 'dkg')).toBe(true);
      }
      // Back online, the creator restarts the creation: same guardians, a fresh DKG session.
      dropped.peer!.setOnline(true);
      await hub.settle();
      await until(hub, clock, () => devices.every((d) => d.events.some((e) => e.type === 'aborted' && e.protocol === 'dkg')));
      devices[0]!.guardian.retryWalletCreation();
      const keys: string[] = [];
      devices.forEach((d) => void d.guardian.whenReady().then((w) => keys.push(w.groupKey)));
      await until(hub, clock, () => keys.length === 5, 0);
      expect(new Set(keys).size).toBe(1);
      for (const d of devices) expect((await getCurrentEpoch(d.store, walletId))!.epoch).toBe(0);
    });
  }

  for (const round of [1, 2]) {
    it(`FROST signing round ${round}: the others retry with another quorum, then sign again with it back`, async () => {
      const { hub, clock, devices } = await fiveDevices(1, { protocol: 'frost-sign', round, act: () => 'drop' });
      await createWalletAmong(devices, 3);
      let ready = 0;
      devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
      await until(hub, clock, () => ready === 5, 0);
      const pub = devices[0]!.guardian.wallet()!.pub;
      const dropped = devices[1]!;

      const first = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('one') });
      await hub.settle();
      for (const d of devices.slice(1)) {
        await d.guardian.approve(first.requestId); // order: g1, g2 (drops), g3, g4, g5
        await hub.settle();
      }
      let sig: Uint8Array | undefined;
      void first.signature.then((r) => (sig = r.signature));
      await until(hub, clock, () => sig !== undefined);
      const res = await first.signature;
      expect(frostVerify(pub, res.digest, res.signature)).toBe(true);
      expect(res.signers).not.toContain(dropped.identity.publicKey);
      expect(blamesIn(devices[0]!).some((b) => b.culprits.includes(dropped.identity.publicKey))).toBe(true);

      dropped.peer!.setOnline(true);
      await hub.settle();
      const second = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('two') });
      await hub.settle();
      for (const d of [devices[1]!, devices[2]!]) await d.guardian.approve(second.requestId);
      let sig2: Uint8Array | undefined;
      void second.signature.then((r) => (sig2 = r.signature));
      await until(hub, clock, () => sig2 !== undefined);
      const res2 = await second.signature;
      expect(frostVerify(pub, res2.digest, res2.signature)).toBe(true);
      for (const d of devices) expect([d.name, nonceRecords(d)]).toEqual([d.name, []]);
    });
  }
});

describe('a guardian that sends bad packages', () => {
  it('a DKG commitment with a broken proof of knowledge: everyone aborts naming its sender', async () => {
    const flipLast = (_d: Device, body: Uint8Array) => {
      const b = body.slice();
      b[b.length - 1]! ^= 1;
      return b;
    };
    const { hub, clock, devices } = await fiveDevices(2, { protocol: 'dkg', round: 1, act: flipLast });
    const walletId = await createWalletAmong(devices, 3);
    const bad = devices[2]!;
    const honest = devices.filter((d) => d !== bad);
    const settled: unknown[] = [];
    honest.forEach(
      (d, i) =>
        void d.guardian.whenReady().then(
          () => (settled[i] = 'ready'),
          (e: unknown) => (settled[i] = e),
        ),
    );
    await until(hub, clock, () => settled.filter((x) => x !== undefined).length === honest.length, 0);
    for (const err of settled) {
      expect((err as CairnError).culprits).toEqual([bad.identity.publicKey]);
      expect(['BAD_PROOF_OF_KNOWLEDGE', 'MALFORMED']).toContain((err as CairnError).code);
    }
    for (const d of honest) expect(await getCurrentEpoch(d.store, walletId)).toBeUndefined();
  });

  it('a bad signature share: aggregation names its signer, the next quorum signs', async () => {
    const otherScalar = (_d: Device, body: Uint8Array) => {
      const b = body.slice();
      b[b.length - 1] = b[b.length - 1]! ^ 0x01; // still a valid scalar encoding, wrong value
      return b;
    };
    const { hub, clock, devices } = await fiveDevices(1, { protocol: 'frost-sign', round: 2, act: otherScalar });
    await createWalletAmong(devices, 3);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 5, 0);
    const { requestId, signature } = await devices[0]!.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('x') });
    await hub.settle();
    for (const d of devices.slice(1)) {
      await d.guardian.approve(requestId);
      await hub.settle();
    }
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done);
    const res = await signature;
    const bad = devices[1]!.identity.publicKey;
    expect(frostVerify(devices[0]!.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);
    expect(res.signers).not.toContain(bad);
    const blames = blamesIn(devices[2]!);
    expect(blames.some((b) => b.code === 'BAD_SIGNATURE_SHARE' && b.culprits.length === 1 && b.culprits[0] === bad)).toBe(true);
    // Every honest guardian saw the same blame: no one else was named.
    expect(blames.flatMap((b) => b.culprits).every((c) => c === bad)).toBe(true);
  });
});

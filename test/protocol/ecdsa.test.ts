/**
 * Threshold ECDSA (DKLs23) between real guardian devices over the memory hub: DKG → pairwise setups → an EOA
 * request approved by two of three → a signature that verifies (noble) and recovers (viem) to the group address;
 * a signer that drops mid-sign is blamed, its pairwise setups are discarded on both sides, another quorum signs,
 * and once it is back a fresh setup runs and signing with it works again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, parseEther, getAddress, recoverAddress, recoverMessageAddress, parseTransaction, recoverTransactionAddress, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { signingDigest, type SigningRequest } from '../../src/core/index.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { decodeBlame, decodeEnvelope, decodeEnvelopeBatch } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice as makeRigDevice, ManualClock, until, type Device } from './helpers.ts';
import type { MemoryHub } from '../../src/net/memoryHub.ts';
import { guardianEoaAccount } from '../../src/chain/guardianEoaAccount.ts';
import type { ProtocolDescriptor } from '../../src/protocol/descriptor.ts';
import { ecdsaSetupDescriptor, type EcdsaSetupParams } from '../../src/protocol/descriptors/ecdsaSetup.ts';
import type { PairwiseSetup } from '../../src/core/ecdsa/index.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { readEcdsaLedger } from '../../src/device/ecdsaLedger.ts';
import { decodeSetupRequest } from '../../src/protocol/ecdsaCoordinator.ts';

let anvil: AnvilNode;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(async () => anvil?.stop());

/** A guardian device (helpers.makeDevice) that runs the ECDSA setups right after the DKG. */
function makeDevice(
  hub: MemoryHub,
  clock: ManualClock,
  name: string,
  wrapLog?: (log: RequestLog, d: Device) => RequestLog,
  ecdsaSetupDescriptor?: ProtocolDescriptor<EcdsaSetupParams, PairwiseSetup>,
): Promise<Device> {
  return makeRigDevice(hub, clock, name, { wrapLog, guardian: { ecdsaSetup: 'after-dkg', ecdsaSetupDescriptor } });
}

/** Takes the device offline the moment it sends its first ECDSA-signing round-`round` envelope (lost with it). */
function dropAtEcdsaRound(round: number, armed: { on: boolean }) {
  return (log: RequestLog, d: Device): RequestLog => ({
    ...log,
    append(kind, body) {
      if (armed.on && kind === 'envelope') {
        const first = decodeEnvelope(decodeEnvelopeBatch(body)[0]!);
        if (first.protocol === 'ecdsa-sign' && first.round === round) {
          armed.on = false;
          d.peer!.setOnline(false);
        }
      }
      return log.append(kind, body);
    },
  });
}

const ecdsaSetupRecords = (d: Device) => [...d.backend.raw.keys()].filter((k) => k.includes('/ecdsa/'));

function expectValid(sig: Uint8Array, request: SigningRequest, groupKey: string): Promise<void> {
  const digest = signingDigest(request);
  expect(sig.length).toBe(65);
  expect(secp256k1.verify(sig.subarray(0, 64), digest, secp256k1.Point.fromHex(groupKey).toBytes(true), { prehash: false, lowS: true })).toBe(true);
  const address = publicKeyToAddress(bytesToHex(secp256k1.Point.fromHex(groupKey).toBytes(false)));
  return recoverAddress({
    hash: bytesToHex(digest),
    signature: { r: bytesToHex(sig.subarray(0, 32)), s: bytesToHex(sig.subarray(32, 64)), yParity: sig[64]! },
  }).then((a) => expect(getAddress(a)).toBe(getAddress(address)));
}

const transfer = (nonce: bigint): SigningRequest => ({
  type: 'eoa-transaction',
  chainId: 31337n,
  nonce,
  to: '0x00000000000000000000000000000000000000a1',
  value: 10n ** 15n,
  data: new Uint8Array(0),
  gas: 21_000n,
  maxFeePerGas: 2_000_000_000n,
  maxPriorityFeePerGas: 1_000_000n,
});

describe('threshold ECDSA between guardian devices', () => {
  it('2-of-3: DKG → setups → EOA requests; a signer dropping mid-sign is blamed, its setups discarded, then set up afresh', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 5 });
    const clock = new ManualClock();
    const armed = { on: false };
    const a = await makeDevice(hub, clock, 'g1');
    const b = await makeDevice(hub, clock, 'g2', dropAtEcdsaRound(2, armed));
    const c = await makeDevice(hub, clock, 'g3');
    const devices = [a, b, c];
    await createWalletAmong(devices, 2);
    const infos = await Promise.all(devices.map((d) => d.guardian.whenReady()));
    const groupKey = infos[0]!.groupKey;
    const keys = devices.map((d) => d.identity.publicKey);
    const others = (d: Device) => keys.filter((k) => k !== d.identity.publicKey).sort();

    // Every pair set up (sealed), right after the DKG.
    await until(hub, clock, () => devices.every((d) => d.guardian.ecdsaSetups().readyPeers().length === 2), 0);
    for (const d of devices) {
      expect(d.guardian.ecdsaSetups().readyPeers().sort()).toEqual(others(d));
      expect(ecdsaSetupRecords(d)).toHaveLength(2);
    }

    // 1. An EOA transfer approved by two guardians.
    const first = transfer(0n);
    const r1 = await a.guardian.requestSignature(first);
    await hub.settle();
    await b.guardian.approve(r1.requestId);
    let done = false;
    void r1.signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    await expectValid((await r1.signature).signature, first, groupKey);

    // 2. b drops in round 2: a (and b) abort, b is blamed on the log, the setups of the pair are discarded, c's approval completes it.
    armed.on = true;
    const second = transfer(1n);
    const r2 = await a.guardian.requestSignature(second);
    await hub.settle();
    await b.guardian.approve(r2.requestId);
    await hub.settle(); // everyone sees b's approval before c's: the first quorum is {a, b} on every device
    await c.guardian.approve(r2.requestId);
    done = false;
    void r2.signature.then(() => (done = true));
    await until(hub, clock, () => done);
    const res2 = await r2.signature;
    expect([...res2.signers].sort()).toEqual([a.identity.publicKey, c.identity.publicKey].sort());
    await expectValid(res2.signature, second, groupKey);
    const blames = a.guardian
      .log()!
      .entries()
      .filter((e) => e.kind === 'blame')
      .map((e) => decodeBlame(e.body))
      .filter((x) => x.protocol === 'ecdsa-sign');
    expect(blames.some((x) => x.culprits.includes(b.identity.publicKey) && bytesToHex(x.requestId).slice(2) === r2.requestId)).toBe(true);
    expect(a.guardian.ecdsaSetups().readyPeers()).toEqual([c.identity.publicKey]);
    expect(a.events.some((e) => e.type === 'ecdsa-setup-discarded' && e.peer === b.identity.publicKey)).toBe(true);
    // The failure is shown to a's user, naming b; a drop is no evidence of cheating, so b is not banned.
    expect(a.events.some((e) => e.type === 'ecdsa-sign-failed' && e.culprits.includes(b.identity.publicKey))).toBe(true);
    expect(a.guardian.ecdsaSetups().bannedPeers()).toEqual([]);
    expect(ecdsaSetupRecords(a).some((k) => k.endsWith(b.identity.publicKey))).toBe(false);

    // 3. b is back: a request a and b approve first needs a fresh a–b setup, which runs, then the signature.
    b.peer!.setOnline(true);
    await hub.settle();
    expect(b.guardian.ecdsaSetups().readyPeers()).not.toContain(a.identity.publicKey); // b never reuses it either
    const third: SigningRequest = { type: 'eoa-message', message: new TextEncoder().encode('hello from the EOA') };
    const r3 = await a.guardian.requestSignature(third);
    await hub.settle();
    await b.guardian.approve(r3.requestId);
    done = false;
    void r3.signature.then(() => (done = true));
    await until(hub, clock, () => done);
    const res3 = await r3.signature;
    expect([...res3.signers].sort()).toEqual([a.identity.publicKey, b.identity.publicKey].sort());
    await expectValid(res3.signature, third, groupKey);
    expect(a.guardian.ecdsaSetups().readyPeers().sort()).toEqual(others(a));
    // Every signing session this device ran is recorded (sealed), so a repeated sigid is refused after a reload.
    expect((await readEcdsaLedger(a.store, infos[0]!.walletId))!.sessions.length).toBeGreaterThanOrEqual(3);

    // 4. The viem account over the network: a signed message and an EIP-1559 transaction recover to the EOA.
    const account = guardianEoaAccount(c.guardian.eoaSigner());
    const address = getAddress(publicKeyToAddress(bytesToHex(secp256k1.Point.fromHex(groupKey).toBytes(false))));
    expect(getAddress(account.address)).toBe(address);
    const approveNext = () => {
      const off = a.guardian.on((e) => {
        if (e.type === 'request' && e.requester === c.identity.publicKey) {
          off();
          queueMicrotask(() => void a.guardian.approve(e.requestId)); // not from inside the log's own delivery
        }
      });
    };
    approveNext();
    let signedMessage: Hex | undefined;
    void account.signMessage!({ message: 'gm' }).then((s) => (signedMessage = s));
    await until(hub, clock, () => signedMessage !== undefined);
    expect(getAddress(await recoverMessageAddress({ message: 'gm', signature: signedMessage! }))).toBe(address);
    approveNext();
    let signedTx: Hex | undefined;
    void account.signTransaction!({
      type: 'eip1559',
      chainId: 31337,
      nonce: 2,
      to: '0x00000000000000000000000000000000000000a1',
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: 2n * 10n ** 9n,
      maxPriorityFeePerGas: 10n ** 6n,
    }).then((s) => (signedTx = s));
    await until(hub, clock, () => signedTx !== undefined);
    expect(parseTransaction(signedTx!).nonce).toBe(2);
    expect(getAddress(await recoverTransactionAddress({ serializedTransaction: signedTx! as `0x02${string}` }))).toBe(address);

    // 5. A real EIP-1559 transfer on anvil from the EOA, signed by the guardians over the hub.
    const fund = await anvil.walletClient(0).sendTransaction({ to: address, value: parseEther('1') });
    await anvil.publicClient.waitForTransactionReceipt({ hash: fund });
    const recipient = '0x00000000000000000000000000000000000000b2' as const;
    const prepared = await anvil.publicClient.prepareTransactionRequest({
      account,
      to: recipient,
      value: parseEther('0.25'),
      type: 'eip1559',
      chain: anvil.chain,
    });
    approveNext();
    let raw: Hex | undefined;
    void account.signTransaction!({ ...prepared, type: 'eip1559', chainId: anvil.chain.id } as Parameters<NonNullable<typeof account.signTransaction>>[0]).then(
      (x) => (raw = x),
    );
    await until(hub, clock, () => raw !== undefined);
    const hash = await anvil.publicClient.sendRawTransaction({ serializedTransaction: raw! });
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect(getAddress(receipt.from)).toBe(address);
    expect(await anvil.publicClient.getBalance({ address: recipient })).toBe(parseEther('0.25'));

    await expect(account.signTypedData!({ domain: {}, types: { M: [{ name: 'x', type: 'uint256' }] }, primaryType: 'M', message: { x: 1n } })).rejects.toThrow(
      /typed EOA requests only/,
    );

    for (const d of devices) await d.guardian.close();
  }, 600_000);

  it('a setup whose zero-seed opening is wrong: the counterparty is blamed, nothing is stored with it, no automatic retry', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 9 });
    const clock = new ManualClock();
    // The cheater's round-2 package (seed opening) has one flipped seed byte: header 2 ‖ from 32 ‖ to 32 ‖ seed 32.
    const cheating: ProtocolDescriptor<EcdsaSetupParams, PairwiseSetup> = {
      ...ecdsaSetupDescriptor,
      setup(params) {
        const inner = ecdsaSetupDescriptor.setup(params);
        return {
          ...inner,
          party: {
            ...inner.party,
            async receive(round, packages) {
              const step = await inner.party.receive(round, packages);
              if (round !== 1 || !('next' in step)) return step;
              const direct = new Map(
                [...step.next.direct!].map(([to, body]) => {
                  const bad = body.slice();
                  bad[66] = bad[66]! ^ 1;
                  return [to, bad] as const;
                }),
              );
              return { next: { direct } };
            },
          },
        };
      },
    };
    const a = await makeDevice(hub, clock, 'g1');
    const b = await makeDevice(hub, clock, 'g2', undefined, cheating);
    const c = await makeDevice(hub, clock, 'g3');
    const devices = [a, b, c];
    const walletId = await createWalletAmong(devices, 2);
    await Promise.all(devices.map((d) => d.guardian.whenReady()));
    const honest = [a, c];
    const cheater = b.identity.publicKey;
    await until(
      hub,
      clock,
      () =>
        honest.every((d) => d.events.some((e) => e.type === 'aborted' && e.protocol === 'ecdsa-setup')) && a.guardian.ecdsaSetups().readyPeers().length === 1,
      0,
    );
    for (const d of honest) {
      const aborted = d.events.find((e) => e.type === 'aborted' && e.protocol === 'ecdsa-setup');
      expect(aborted).toMatchObject({ code: 'BAD_PROOF', culprits: [cheater] });
      expect(d.guardian.ecdsaSetups().readyPeers()).not.toContain(cheater);
      expect(ecdsaSetupRecords(d).some((k) => k.endsWith(cheater))).toBe(false);
    }
    const blames = a.guardian
      .log()!
      .entries()
      .filter((e) => e.kind === 'blame')
      .map((e) => decodeBlame(e.body))
      .filter((x) => x.protocol === 'ecdsa-setup');
    expect(blames.some((x) => x.code === 'BAD_PROOF' && x.culprits.includes(cheater))).toBe(true);
    // Banned on this device, persistently (sealed ledger, survives a reload), and shown to the user.
    for (const d of honest) {
      expect(d.guardian.ecdsaSetups().bannedPeers()).toEqual([cheater]);
      expect((await readEcdsaLedger(d.store, walletId))!.banned.has(cheater)).toBe(true);
      expect(d.events.some((e) => e.type === 'ecdsa-peer-banned' && e.peer === cheater)).toBe(true);
    }
    // Asking for a setup with the cheater appends nothing.
    const before = a.guardian
      .log()!
      .entries()
      .filter((e) => e.kind === 'ecdsa-setup').length;
    a.guardian.ecdsaSetups().requestSetup([cheater]);
    expect(
      a.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'ecdsa-setup').length,
    ).toBe(before);
    // The honest pair still works.
    expect(a.guardian.ecdsaSetups().readyPeers()).toEqual([c.identity.publicKey]);
    // A person lifts the ban (the Guardians page's "Allow set-up with … again"): gone from the sealed ledger too, and
    // a fresh setup with that guardian is asked for at once.
    const askedFor = (peer: string) =>
      a.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'ecdsa-setup' && e.author === a.identity.publicKey && decodeSetupRequest(e.body).flat().includes(peer)).length;
    const askedBefore = askedFor(cheater);
    await a.guardian.ecdsaSetups().unban(cheater);
    expect(a.guardian.ecdsaSetups().bannedPeers()).toEqual([]);
    expect((await readEcdsaLedger(a.store, walletId))!.banned.has(cheater)).toBe(false);
    expect(askedFor(cheater)).toBe(askedBefore + 1);
    expect(c.guardian.ecdsaSetups().bannedPeers()).toEqual([cheater]); // only this device's person decided
    for (const d of devices) await d.guardian.close();
  }, 600_000);

  it('after a refresh is promoted every pair is set up afresh (old setups destroyed), and the EOA signs with the new shares', async () => {
    const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed: 13 });
    const clock = new ManualClock();
    const devices = [await makeDevice(hub, clock, 'g1'), await makeDevice(hub, clock, 'g2'), await makeDevice(hub, clock, 'g3')];
    const [a, b] = devices as [Device, Device];
    await createWalletAmong(devices, 2);
    const groupKey = (await Promise.all(devices.map((d) => d.guardian.whenReady())))[0]!.groupKey;
    const setupsDone = (d: Device) => d.events.filter((e) => e.type === 'ecdsa-setup').length;
    await until(hub, clock, () => devices.every((d) => setupsDone(d) === 2), 0);
    // (pair, generation) as both sides report it: 3 pairs, each side agreeing on the generation.
    const pairGenerations = () =>
      devices.flatMap((d) => d.events.flatMap((e) => (e.type === 'ecdsa-setup' ? [`${[d.identity.publicKey, e.peer].sort().join(',')}@${e.generation}`] : [])));
    const firstGenerations = new Set(pairGenerations());
    expect(firstGenerations.size).toBe(3);

    let promoted = 0;
    devices.forEach((d) => d.guardian.on((e) => e.type === 'epoch' && promoted++));
    void a.guardian.refresh();
    await until(hub, clock, () => promoted === 3 && devices.every((d) => setupsDone(d) === 4), 0);
    for (const d of devices) {
      expect(d.events.filter((e) => e.type === 'ecdsa-setup-discarded' && e.reason === 'promotion')).toHaveLength(2);
      expect(d.guardian.ecdsaSetups().readyPeers()).toHaveLength(2);
      expect(ecdsaSetupRecords(d)).toHaveLength(2);
    }
    const fresh = pairGenerations().filter((g) => !firstGenerations.has(g));
    expect(new Set(fresh).size).toBe(3);

    const request = transfer(7n);
    const r = await a.guardian.requestSignature(request);
    await hub.settle();
    await b.guardian.approve(r.requestId);
    let done = false;
    void r.signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    await expectValid((await r.signature).signature, request, groupKey);
    for (const d of devices) await d.guardian.close();
  }, 600_000);
});

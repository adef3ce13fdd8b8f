/**
 * Family-vault secrets over the one round-runner (memory hub, real devices, manual clock):
 * store → request → approvals → partial decryptions travel encrypted to the requester → combined
 * there only. Adversarial: a tampered partial is named, t−1 approvals open nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CairnError } from '../../src/core/index.ts';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { decodeKeyPackage } from '../../src/core/index.ts';
import { decodeVaultCiphertext, encodeVaultCiphertext, MAX_PLAINTEXT_BYTES } from '../../src/core/secrets/index.ts';
import {
  blobIdOf,
  decodeVaultItemChunk,
  decodeVaultOpenRequest,
  encodeVaultItemChunks,
  encodeVaultOpenRequest,
  reassembleVaultItem,
  VAULT_CHUNK_BYTES,
} from '../../src/protocol/secretsLogCodec.ts';
import { Point } from '../../src/core/secrets/group.ts';
import { getCurrentEpoch } from '../../src/device/walletRecords.ts';
import type { MemoryHub } from '../../src/net/memoryHub.ts';
import { decodeEnvelope, decodeEnvelopeBatch } from '../../src/protocol/envelope.ts';
import { secretsOpenDescriptor } from '../../src/protocol/descriptors/secretsOpen.ts';
import type { GuardianEvent } from '../../src/protocol/guardian.ts';
import type { ProtocolDescriptor } from '../../src/protocol/descriptor.ts';
import type { SecretsOpenParams, SecretsOpenResult } from '../../src/protocol/descriptors/secretsOpen.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, ROUND_TIMEOUT, until, type Device } from './helpers.ts';
import { toHex } from '../../src/device/byteCodec.ts';

/** Sends a partial with one flipped bit in its proof (inside the encryption, so the runner cannot see it). */
const cheatingDescriptor: ProtocolDescriptor<SecretsOpenParams, SecretsOpenResult> = {
  ...secretsOpenDescriptor,
  setup(params) {
    const honest = secretsOpenDescriptor.setup(params);
    return {
      ...honest,
      party: {
        ...honest.party,
        async start() {
          const out = await honest.party.start();
          const direct = new Map(out.direct);
          for (const [id, bytes] of direct)
            if (bytes.length > 32)
              direct.set(
                id,
                Uint8Array.from(bytes, (b, i) => (i === bytes.length - 1 ? b ^ 1 : b)),
              );
          return { direct };
        },
      },
    };
  },
};

function device(hub: MemoryHub, clock: ManualClock, name: string, cheat = false): Promise<Device> {
  return makeDevice(hub, clock, name, { guardian: { secretsOpenDescriptor: cheat ? cheatingDescriptor : undefined } });
}

async function wallet(n: number, t: number, cheaters: number[] = []) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 3, seed: 11 });
  const clock = new ManualClock();
  const devices: Device[] = [];
  for (let i = 0; i < n; i++) devices.push(await device(hub, clock, `g${i + 1}`, cheaters.includes(i)));
  const walletId = await createWalletAmong(devices, t);
  await Promise.all(devices.map((d) => d.guardian.whenReady()));
  return { hub, clock, devices, walletId };
}

const SECRET = utf8ToBytes('Bank: 1234-5678 / PIN 0000 — for the family');

describe('vault-open over the round-runner', () => {
  it('3-of-5: opens on the requester only; partials travel encrypted to the requester', async () => {
    const { hub, clock, devices, walletId } = await wallet(5, 3);
    const [a, b, c, d, e] = devices as [Device, Device, Device, Device, Device];
    const item = a.guardian.secrets().store({ itemId: 'bank', kind: 'note', label: 'Bank passwords', plaintext: SECRET });
    await hub.settle();
    for (const x of devices)
      expect(
        x.guardian
          .secrets()
          .items()
          .map((i) => i.label),
      ).toEqual(['Bank passwords']);

    // The requester is d (not the author): its own approval counts; two more make t = 3.
    const { requestId, plaintext } = await d.guardian.secrets().request(item.blobId);
    let opened: Uint8Array | undefined;
    void plaintext.then((p) => (opened = p));
    await hub.settle();
    await b.guardian.secrets().approve(requestId);
    await hub.settle();
    expect(opened).toBeUndefined(); // 2 of 3
    await e.guardian.secrets().approve(requestId);
    await until(hub, clock, () => opened !== undefined, 0);
    expect(opened).toEqual(SECRET);

    // Nobody else has it, and it never was on the wire: no D_i of the quorum appears in the log in clear.
    for (const x of [a, b, c, e]) {
      expect(x.guardian.secrets().requests()[0]!.opened).toBe(false);
      await expect(x.guardian.secrets().plaintext(requestId)).rejects.toThrow(/requester/);
    }
    const ct = decodeVaultCiphertext(await blobOf(a, item.blobId));
    const U = Point.fromBytes(ct.u);
    const log = a.guardian.log()!.entries();
    const wire = log.map((l) => toHex(l.body)).join('|');
    const partialEnvelopes = [];
    for (const q of [b, d, e]) {
      const key = decodeKeyPackage((await getCurrentEpoch(q.store, walletId))!.keyPackage);
      const Di = toHex(U.multiply(BigInt('0x' + toHex(key.signingShare))).toBytes(true));
      expect(wire.includes(Di)).toBe(false);
    }
    for (const l of log.filter((l) => l.kind === 'envelope')) {
      for (const raw of decodeEnvelopeBatch(l.body)) {
        const env = decodeEnvelope(raw);
        if (env.protocol === 'vault-open' && env.to === d.identity.publicKey) partialEnvelopes.push(env.from);
      }
    }
    expect(new Set(partialEnvelopes)).toEqual(new Set([b.identity.publicKey, e.identity.publicKey]));
    void c;
  });

  it('a requester outside the quorum (it did not approve) receives all t partials and opens', async () => {
    const { hub, clock, devices } = await wallet(5, 3);
    const [a, b, c, d] = devices as [Device, Device, Device, Device];
    const item = b.guardian.secrets().store({ itemId: 'n', kind: 'note', label: 'Alarm code', plaintext: SECRET });
    await hub.settle();
    const epoch = a.guardian.wallet()!.pub.epoch;
    const entry = a.guardian.log()!.append('vault-request', encodeVaultOpenRequest({ epoch, blobId: blobIdOf(await blobOf(a, item.blobId)) }));
    let opened: Uint8Array | undefined;
    void a.guardian
      .secrets()
      .plaintext(entry.id)
      .then((p) => (opened = p));
    await hub.settle();
    for (const g of [b, c, d]) await g.guardian.secrets().approve(entry.id);
    await until(hub, clock, () => opened !== undefined, 0);
    expect(opened).toEqual(SECRET);
    expect(a.guardian.secrets().requests()[0]!.approvers).not.toContain(a.identity.publicKey);
  });

  it('a guardian sending a tampered partial is named, and the item is not opened', async () => {
    const { hub, clock, devices } = await wallet(5, 3, [2]);
    const [a, b, cheater] = devices as [Device, Device, Device];
    const item = a.guardian.secrets().store({ itemId: 'will', kind: 'note', label: 'Will', plaintext: SECRET });
    await hub.settle();
    const { requestId, plaintext } = await a.guardian.secrets().request(item.blobId);
    let failure: unknown;
    let opened: Uint8Array | undefined;
    plaintext.then(
      (p) => (opened = p),
      (err) => (failure = err),
    );
    await hub.settle();
    await b.guardian.secrets().approve(requestId);
    await cheater.guardian.secrets().approve(requestId);
    const blamed = () => a.events.some((ev) => ev.type === 'blame' && ev.protocol === 'vault-open');
    await until(hub, clock, blamed, 2);
    const blame = a.events.find((ev) => ev.type === 'blame' && ev.protocol === 'vault-open') as Extract<GuardianEvent, { type: 'blame' }>;
    expect(blame.culprits).toEqual([cheater.identity.publicKey]);
    expect(blame.code).toBe('BAD_PROOF');
    await settleLong(hub, clock);
    expect(opened).toBeUndefined();
    expect(failure).toBeUndefined(); // still waiting for an honest quorum

    // A fourth, honest approval gives a quorum without the cheater: it opens.
    await devices[3]!.guardian.secrets().approve(requestId);
    await until(hub, clock, () => opened !== undefined, 2);
    expect(opened).toEqual(SECRET);
  });

  it('t − 1 approvals open nothing; the t-th opens a 1 MiB file (22 log entries)', async () => {
    const { hub, clock, devices } = await wallet(5, 3);
    const [a, b] = devices as [Device, Device];
    const file = Uint8Array.from({ length: MAX_PLAINTEXT_BYTES }, (_, i) => (i * 7) & 0xff);
    const item = b.guardian.secrets().store({ itemId: 'f', kind: 'file', label: 'scan.pdf', plaintext: file });
    await hub.settle();
    const { requestId, plaintext } = await a.guardian.secrets().request(item.blobId);
    let opened = false;
    void plaintext.then(() => (opened = true));
    await hub.settle();
    await b.guardian.secrets().approve(requestId);
    await settleLong(hub, clock);
    expect(opened).toBe(false);
    expect(devices.flatMap((x) => x.events).some((ev) => ev.type === 'vault-opening')).toBe(false);
    expect(a.guardian.secrets().requests()[0]!.approvers.length).toBe(2);
    await devices[4]!.guardian.secrets().approve(requestId);
    await until(hub, clock, () => opened, 0);
    expect(Buffer.from(await plaintext).equals(Buffer.from(file))).toBe(true);
    expect(
      a.guardian
        .log()!
        .entries()
        .filter((e) => e.kind === 'vault-item'),
    ).toHaveLength(22);
  });

  it('items survive a refresh and a reshare; a malformed (mauled) item is never listed, so never approved', async () => {
    const { hub, clock, devices } = await wallet(3, 2);
    const [a, b, c] = devices as [Device, Device, Device];
    const item = a.guardian.secrets().store({ itemId: 'x', kind: 'note', label: 'Keys', plaintext: SECRET });
    let promoted = 0;
    devices.forEach((d) => d.guardian.on((e) => e.type === 'epoch' && promoted++));
    void b.guardian.refresh();
    await until(hub, clock, () => promoted === 3, 0);
    expect(c.guardian.wallet()!.pub.epoch).toBe(1);
    const { requestId, plaintext } = await c.guardian.secrets().request(item.blobId);
    let opened: Uint8Array | undefined;
    void plaintext.then((p) => (opened = p));
    await hub.settle();
    await b.guardian.secrets().approve(requestId);
    await until(hub, clock, () => opened !== undefined, 0);
    expect(opened).toEqual(SECRET);

    // TDH2: a ciphertext whose body was changed after its proof was made does not verify.
    const honest = decodeVaultCiphertext(await blobOf(a, item.blobId));
    const mauled = encodeVaultCiphertext({ ...honest, context: { ...honest.context, itemId: 'y' } });
    for (const body of encodeVaultItemChunks(mauled)) a.guardian.log()!.append('vault-item', body);
    await hub.settle();
    const mauledId = toHex(blobIdOf(mauled));
    for (const d of devices)
      expect(
        d.guardian
          .secrets()
          .items()
          .map((i) => i.blobId),
      ).toEqual([item.blobId]);
    expect(b.events.some((e) => e.type === 'rejected' && e.from === a.identity.publicKey)).toBe(true);
    const asked = await a.guardian
      .secrets()
      .request(mauledId)
      .catch((e: unknown) => e);
    expect(asked).toMatchObject({ code: 'NOT_FOUND' });

    // A reshare that removes b: the two who stay open the item with their new shares.
    let left = 0;
    b.guardian.on((e) => e.type === 'left' && left++);
    promoted = 0;
    void a.guardian.reshare(
      [a, c].map((d) => d.identity.publicKey),
      2,
    );
    await until(hub, clock, () => promoted === 2 && left === 1, 0);
    expect(a.guardian.wallet()!.pub.epoch).toBe(2);
    const again = await a.guardian.secrets().request(item.blobId);
    let reopened: Uint8Array | undefined;
    void again.plaintext.then((p) => (reopened = p));
    await hub.settle();
    await c.guardian.secrets().approve(again.requestId);
    await until(hub, clock, () => reopened !== undefined, 0);
    expect(reopened).toEqual(SECRET);
  });
});

async function settleLong(hub: MemoryHub, clock: ManualClock): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await hub.settle();
    clock.advance(ROUND_TIMEOUT + 1);
  }
  await hub.settle();
}

/** The encoded ciphertext of an item, reassembled from the log. */
async function blobOf(d: Device, blobId: string): Promise<Uint8Array> {
  const { decodeVaultItemChunk, reassembleVaultItem } = await import('../../src/protocol/secretsLogCodec.ts');
  const chunks = d.guardian
    .log()!
    .entries()
    .filter((e) => e.kind === 'vault-item')
    .map((e) => decodeVaultItemChunk(e.body));
  return reassembleVaultItem(Uint8Array.from(Buffer.from(blobId, 'hex')), chunks)!;
}

describe('vault log bodies', () => {
  it('chunks reassemble only to the announced bytes; decoders throw nothing but CairnError', () => {
    const blob = Uint8Array.from({ length: 2 * VAULT_CHUNK_BYTES + 17 }, (_, i) => i % 251);
    const chunks = encodeVaultItemChunks(blob).map(decodeVaultItemChunk);
    expect(chunks.map((c) => c.count)).toEqual([3, 3, 3]);
    expect(reassembleVaultItem(blobIdOf(blob), chunks.slice(0, 2))).toBeUndefined();
    expect(reassembleVaultItem(blobIdOf(blob), [chunks[2]!, chunks[0]!, chunks[1]!])).toEqual(blob);
    const altered = { ...chunks[1]!, chunk: chunks[1]!.chunk.map((b, i) => (i === 5 ? b ^ 1 : b)) };
    expect(() => reassembleVaultItem(blobIdOf(blob), [chunks[0]!, altered, chunks[2]!])).toThrow(CairnError);
    const nonce = new Uint8Array(16).fill(9);
    const request = encodeVaultOpenRequest({ epoch: 7, blobId: blobIdOf(blob), nonce });
    expect(decodeVaultOpenRequest(request)).toEqual({ epoch: 7, blobId: blobIdOf(blob), nonce });
    expect(encodeVaultOpenRequest({ epoch: 7, blobId: blobIdOf(blob) })).not.toEqual(encodeVaultOpenRequest({ epoch: 7, blobId: blobIdOf(blob) }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 199 }), (junk, cut) => {
        for (const decode of [decodeVaultItemChunk, decodeVaultOpenRequest]) {
          for (const input of [junk, request.subarray(0, cut % request.length), Uint8Array.of(...request, 0)]) {
            try {
              decode(input);
            } catch (e) {
              if (!(e instanceof CairnError)) throw e;
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

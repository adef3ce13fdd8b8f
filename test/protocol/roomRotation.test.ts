// Room membership follows the lineup: the key is made, and all three leave the invite links' room; a reshare removes g3; the lowest-keyed new holder seals a new
// room secret to the others (`room-key` entry), everyone but g3 moves to the new room (one memory
// hub per room secret, as y-webrtc has one room per secret), and what is written afterwards never
// reaches g3 — which could not have opened the new secret either.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { frostVerify } from '../../src/core/index.ts';
import { toHex } from '../../src/device/byteCodec.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { openShareStore } from '../../src/device/shareStore.ts';
import { createMemoryBackend } from '../../src/device/storageBackend.ts';
import { createMemoryHub, type HubPeer, type MemoryHub } from '../../src/net/memoryHub.ts';
import { createGuardian, type GuardianEvent } from '../../src/protocol/guardian.ts';
import { decodeRoomKey, openRoomKey, ROOM_KEY_LOG_KIND, sealRoomKey } from '../../src/protocol/roomKeyEntry.ts';
import { ROOM_MOVE_DELAY_MS } from '../../src/protocol/roomRotation.ts';
import { loadWalletRoom } from '../../src/protocol/walletRoomRecord.ts';
import { approvesKeyChanges, ManualClock, ROUND_TIMEOUT } from './helpers.ts';

/** One memory hub per room secret: devices meet only the devices in the same room. */
function roomsOf() {
  const hubs = new Map<string, MemoryHub>();
  const hub = (secret: Uint8Array) => {
    const key = toHex(secret);
    if (!hubs.has(key)) hubs.set(key, createMemoryHub({ seed: hubs.size + 5 }));
    return hubs.get(key)!;
  };
  return {
    hub,
    settle: async () => {
      for (let i = 0; i < 3; i++) for (const h of hubs.values()) await h.settle();
    },
  };
}

async function device(rooms: ReturnType<typeof roomsOf>, clock: ManualClock, name: string) {
  const identity = createDeviceIdentity();
  const store = openShareStore({ backend: createMemoryBackend(), autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: { N: 2, r: 1, p: 1 }, salt: randomBytes(16) }, randomBytes(32));
  const events: GuardianEvent[] = [];
  let doc: Y.Doc | undefined;
  let peer: HubPeer | undefined;
  const guardian = createGuardian({
    identity,
    store,
    clock,
    roundTimeoutMs: ROUND_TIMEOUT,
    signalingUrls: ['ws://localhost:4544'],
    connect: async ({ roomSecret }) => {
      const d = (doc = new Y.Doc());
      peer = rooms.hub(roomSecret).join(d, name);
      return {
        doc: d,
        close: async () => peer?.leave(),
        moveTo: async (secret) => {
          peer?.leave();
          peer = rooms.hub(secret).join(d, name);
        },
      };
    },
  });
  guardian.on((e) => events.push(e));
  approvesKeyChanges(guardian); // its person approves key changes
  return { name, identity, store, guardian, events, doc: () => doc! };
}

async function until(rooms: ReturnType<typeof roomsOf>, clock: ManualClock, cond: () => boolean, what: string) {
  for (let i = 0; i < 200 && !cond(); i++) {
    await rooms.settle();
    clock.advance(500);
  }
  if (!cond()) throw new Error(`timed out: ${what}`);
}

describe('room rotation after a reshare removes a device', () => {
  it('the removed device stays in the old room, gets nothing written later, and cannot open the new secret', async () => {
    const rooms = roomsOf();
    const clock = new ManualClock();
    const [g1, g2, g3] = [await device(rooms, clock, 'g1'), await device(rooms, clock, 'g2'), await device(rooms, clock, 'g3')];
    const { walletId, invites } = await g1.guardian.createWallet({ threshold: 2, guardians: 3 });
    await g2.guardian.join(invites[0]!);
    await g3.guardian.join(invites[1]!);
    await until(rooms, clock, () => [g1, g2, g3].every((d) => d.events.some((e) => e.type === 'ready')), 'ready');
    // Once the key is made, the three leave the room the invite links named (anyone else holding a link stays there).
    for (let i = 0; i < 4; i++) {
      clock.advance(ROOM_MOVE_DELAY_MS);
      await rooms.settle();
    }
    const afterCreation = await Promise.all([g1, g2, g3].map(async (d) => toHex((await loadWalletRoom(d.store, walletId)).roomSecret)));
    expect(new Set(afterCreation).size).toBe(1);
    expect(afterCreation[0]).not.toBe(toHex(invites[0]!.roomSecret));
    const oldSecret = (await loadWalletRoom(g1.store, walletId)).roomSecret;

    // While still a guardian, g3 plants a room for the next epoch, sealed to the others: it must not count
    // (its author holds no share of that epoch).
    const planted = randomBytes(32);
    g3.guardian
      .log()!
      .append(
        ROOM_KEY_LOG_KIND,
        sealRoomKey({ author: g3.identity, walletId, epoch: 1, roomSecret: planted, recipients: [g1, g2, g3].map((d) => d.identity.publicKey) }),
      );
    await rooms.settle();

    void g1.guardian.reshare(
      [g1, g2].map((d) => d.identity.publicKey),
      2,
    );
    await until(rooms, clock, () => g3.events.some((e) => e.type === 'left') && [g1, g2].every((d) => d.events.some((e) => e.type === 'epoch')), 'reshare');
    // Everyone in the new lineup moves; the removed device keeps the old secret.
    for (let i = 0; i < 4; i++) {
      clock.advance(ROOM_MOVE_DELAY_MS);
      await rooms.settle();
    }
    const secrets = await Promise.all([g1, g2, g3].map(async (d) => toHex((await loadWalletRoom(d.store, walletId)).roomSecret)));
    expect(secrets[0]).toBe(secrets[1]);
    expect(secrets[0]).not.toBe(toHex(oldSecret));
    expect(secrets[2]).toBe(toHex(oldSecret));
    expect(secrets[0]).not.toBe(toHex(planted));
    // g3 saw the room-key entry (written in the old room) and cannot open any copy in it.
    const keyEntries = g3.guardian
      .log()!
      .entries()
      .filter((e) => e.kind === ROOM_KEY_LOG_KIND && e.author !== g3.identity.publicKey && decodeRoomKey(e.body, e.author).epoch === 1);
    expect(keyEntries).toHaveLength(1);
    const entry = decodeRoomKey(keyEntries[0]!.body, keyEntries[0]!.author);
    expect(entry.copies.map((c) => c.recipient).sort()).toEqual([g1, g2].map((d) => d.identity.publicKey).sort());
    expect(openRoomKey(entry, keyEntries[0]!.author, g3.identity)).toBeUndefined();
    expect(toHex(openRoomKey(entry, keyEntries[0]!.author, g2.identity)!)).toBe(secrets[1]);

    // The two remaining guardians sign in the new room; nothing of it reaches g3.
    const g3Entries = g3.guardian.log()!.entries().length;
    const { requestId, signature } = await g1.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('after the move') });
    await until(rooms, clock, () => g2.guardian.requests().some((r) => r.requestId === requestId), 'request at g2');
    await g2.guardian.approve(requestId);
    let done = false;
    void signature.then(() => (done = true));
    await until(rooms, clock, () => done, 'signature');
    expect(frostVerify(g1.guardian.wallet()!.pub, (await signature).digest, (await signature).signature)).toBe(true);
    await rooms.settle();
    expect(g3.guardian.log()!.entries().length).toBe(g3Entries);
    expect(
      g3
        .doc()
        .getArray('cairn/request-log')
        .toArray()
        .some((x) => JSON.stringify(x).includes(requestId)),
    ).toBe(false);
  });
});

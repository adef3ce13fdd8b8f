import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDeviceIdentity, signWithDevice } from '../../src/device/deviceIdentity.ts';
import { encodeLogEntry, MAX_BODY_BYTES, MAX_ENTRY_BYTES } from '../../src/net/logEntryCodec.ts';
import { LOG_ARRAY_NAME, openRequestLog, type LogEntry } from '../../src/net/requestLog.ts';
import { ByteWriter } from '../../src/device/byteCodec.ts';
import { bytes, guardiansOnHub, text } from './helpers.ts';

const sortedIds = (es: LogEntry[]) => es.map((e) => e.id).sort();

describe('request log over the memory hub', () => {
  it("five guardians see each other's entries, verified, in the same order", async () => {
    const { hub, guardians } = guardiansOnHub(5);
    guardians.forEach((g, k) => g.log.append('request', bytes(`hello from ${k}`)));
    await hub.settle();
    const first = guardians[0]!.log.entries();
    expect(first).toHaveLength(5);
    for (const g of guardians) {
      expect(g.log.entries().map((e) => e.id)).toEqual(first.map((e) => e.id));
      expect(g.rejections).toEqual([]);
    }
    const byAuthor = new Map(first.map((e) => [e.author, text(e.body)]));
    guardians.forEach((g, k) => expect(byAuthor.get(g.identity.publicKey)).toBe(`hello from ${k}`));
  });

  it('subscribe delivers existing and new entries once each', async () => {
    const { hub, guardians } = guardiansOnHub(2);
    guardians[0]!.log.append('request', bytes('one'));
    await hub.settle();
    const seen: string[] = [];
    guardians[1]!.log.subscribe((e) => seen.push(text(e.body)));
    guardians[0]!.log.append('approval', bytes('two'));
    guardians[1]!.log.append('approval', bytes('three'));
    await hub.settle();
    guardians[1]!.log.setMembers(guardians.map((g) => g.identity.publicKey)); // re-evaluation delivers nothing twice
    expect(seen.sort()).toEqual(['one', 'three', 'two']);
  });

  it('ignores and reports a forged signature, a non-member, oversize, garbage and a replay — naming the author', async () => {
    const { hub, guardians } = guardiansOnHub(5);
    const hostile = hub.addHostilePeer();
    const honest = guardians[0]!.log.append('request', bytes('legit'));
    await hub.settle();
    const victim = guardians[1]!.identity;
    const outsider = createDeviceIdentity();

    // 1. forged: an entry claiming to be from a member, signed by the outsider.
    const real = encodeLogEntry({ identity: victim, scope: 'wallet-1', kind: 'approval', at: 1, body: bytes('approve all') }).bytes;
    const forged = real.slice();
    forged.set(signWithDevice(outsider, 'cairn/log-entry', forged.subarray(0, forged.length - 64)), forged.length - 64);
    // 2. validly signed by a non-member.
    const nonMember = encodeLogEntry({ identity: outsider, scope: 'wallet-1', kind: 'request', at: 1, body: bytes('send me funds') }).bytes;
    // 3. oversized, with a readable header naming the victim.
    const big = new ByteWriter()
      .bytes(real.subarray(0, 4 + 2 + 8 + 2 + 8 + 33))
      .bytes(new Uint8Array(MAX_ENTRY_BYTES))
      .finish();
    // 4. garbage of all sorts.
    const garbage = [new Uint8Array([1, 2, 3]), 'a string', 42, { kind: 'request' }, null];
    // 5. a byte-for-byte replay of the honest entry.
    const replay = guardians[0]!.doc.getArray<Uint8Array>(LOG_ARRAY_NAME).get(0).slice();
    // 6. an entry signed for another wallet's log.
    const otherWallet = encodeLogEntry({ identity: victim, scope: 'wallet-2', kind: 'request', at: 1, body: bytes('x') }).bytes;
    hostile.inject(forged, nonMember, big, ...garbage, replay, otherWallet);
    await hub.settle();

    for (const g of guardians) {
      const es = g.log.entries();
      expect(es.map((e) => e.id)).toEqual([honest.id]);
      const reasons = g.rejections.map((r) => `${r.author ?? '-'} ${r.reason}`);
      expect(reasons).toContain(`${victim.publicKey} Log entry signature does not verify`);
      expect(reasons).toContain(`${outsider.publicKey} Log entry from a device that is not a member`);
      expect(reasons).toContain(`${victim.publicKey} Log entry is larger than ${MAX_ENTRY_BYTES} bytes`);
      expect(reasons).toContain(`${guardians[0]!.identity.publicKey} Duplicate log entry (replayed)`);
      expect(reasons).toContain(`${victim.publicKey} Log entry belongs to another wallet's log`);
      expect(g.rejections.filter((r) => r.author === undefined).length).toBeGreaterThanOrEqual(garbage.length);
      // Only the non-member and the other-wallet entry were signed by the key they name.
      const blamed = g.rejections.filter((r) => r.authenticated).map((r) => r.author);
      expect(blamed.sort()).toEqual([outsider.publicKey, victim.publicKey].sort());
    }
  });

  it('a member added later (onboarding) becomes visible; its earlier entries too', async () => {
    const { hub, guardians, members } = guardiansOnHub(3);
    const newcomer = createDeviceIdentity();
    const doc = new Y.Doc();
    hub.join(doc, 'newcomer');
    const log = openRequestLog({ doc, identity: newcomer, members: [...members, newcomer.publicKey], scope: 'wallet-1' });
    const hi = log.append('roster', bytes('my name is Dana'));
    await hub.settle();
    expect(guardians[0]!.log.entries()).toEqual([]);
    const delivered: string[] = [];
    guardians[0]!.log.subscribe((e) => delivered.push(e.id));
    guardians[0]!.log.setMembers([...members, newcomer.publicKey]);
    expect(guardians[0]!.log.entries().map((e) => e.id)).toEqual([hi.id]);
    expect(delivered).toEqual([hi.id]);
  });

  it('oversized bodies and unknown kinds are refused at append', () => {
    const { guardians } = guardiansOnHub(1);
    expect(() => guardians[0]!.log.append('request', new Uint8Array(MAX_BODY_BYTES + 1))).toThrow(/at most/);
    expect(() => guardians[0]!.log.append('teleport', bytes('x'))).toThrow(/Unknown log entry kind/);
    expect(guardians[0]!.log.append('envelope', new Uint8Array(MAX_BODY_BYTES)).body.length).toBe(MAX_BODY_BYTES);
  });

  it('a hostile deletion is reported, the entry is kept locally and restored by its author', async () => {
    const { hub, guardians } = guardiansOnHub(3);
    const hostile = hub.addHostilePeer();
    const e = guardians[0]!.log.append('request', bytes('keep me'));
    await hub.settle();
    hostile.deleteAt(0);
    await hub.settle();
    for (const g of guardians) {
      expect(g.log.entries().map((x) => x.id)).toEqual([e.id]);
      expect(g.rejections.some((r) => /deleted/.test(r.reason))).toBe(true);
      expect(g.rejections.some((r) => /Duplicate/.test(r.reason))).toBe(false);
    }
    // A newcomer who syncs only now still gets it back from the array.
    const late = new Y.Doc();
    hub.join(late, 'late');
    await hub.settle();
    const lateLog = openRequestLog({ doc: late, identity: createDeviceIdentity(), members: guardians.map((g) => g.identity.publicKey), scope: 'wallet-1' });
    expect(lateLog.entries().map((x) => x.id)).toEqual([e.id]);
  });
});

describe('request log under delay, reorder and drop', () => {
  it('100 entries from 5 authors, random delays: all visible everywhere, none lost, same order', async () => {
    const { hub, guardians } = guardiansOnHub(5, { delayMs: (rnd) => rnd() * 20, seed: 7 });
    const sent: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (const g of guardians) sent.push(g.log.append('approval', bytes(`r${round}`)).id);
      await new Promise((r) => setTimeout(r, round % 3)); // interleave with in-flight deliveries
    }
    await hub.settle();
    const order = guardians[0]!.log.entries().map((e) => e.id);
    expect(order.slice().sort()).toEqual(sent.slice().sort());
    for (const g of guardians) {
      expect(g.log.entries().map((e) => e.id)).toEqual(order);
      expect(g.rejections).toEqual([]);
    }
  });

  it('a peer that goes offline misses updates, keeps writing, and catches up on reconnect', async () => {
    const { hub, guardians } = guardiansOnHub(5, { delayMs: (rnd) => rnd() * 5, seed: 3 });
    const sent: string[] = [];
    const offline = guardians[4]!;
    offline.peer.setOnline(false);
    for (let k = 0; k < 20; k++) for (const g of guardians) sent.push(g.log.append('request', bytes(`${k}`)).id);
    await hub.settle();
    expect(sortedIds(offline.log.entries())).toHaveLength(20); // only its own
    expect(guardians[0]!.log.entries()).toHaveLength(80);
    offline.peer.setOnline(true);
    await hub.settle();
    for (const g of guardians) expect(sortedIds(g.log.entries())).toEqual(sent.slice().sort());
  });

  it('random message loss is repaired by a resync; nothing honest is lost', async () => {
    const { hub, guardians } = guardiansOnHub(5, { dropRate: 0.3, delayMs: (rnd) => rnd() * 5, seed: 11 });
    const sent: string[] = [];
    for (let k = 0; k < 20; k++) for (const g of guardians) sent.push(g.log.append('request', bytes(`${k}`)).id);
    await hub.settle();
    // Like a reconnecting WebRTC peer, each one re-exchanges state vectors (which can be lost too).
    for (let attempt = 0; attempt < 20; attempt++) {
      if (guardians.every((g) => g.log.entries().length === sent.length)) break;
      for (const g of guardians) g.peer.resync();
      await hub.settle();
    }
    for (const g of guardians) expect(sortedIds(g.log.entries())).toEqual(sent.slice().sort());
  });
});

// Presence over real y-protocols Awareness instances, wired to each other the way y-webrtc does
// (encodeAwarenessUpdate → applyAwarenessUpdate): signed, fresh, never in the Y.Doc.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { PRESENCE_FRESH_MS, watchPresence, type Presence } from '../../src/net/presence.ts';

const WALLET = 'wallet-1';
let t = 1_800_000_000_000;
const now = () => t;
const open: (Presence | Awareness)[] = [];

function device() {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const identity = createDeviceIdentity();
  const presence = watchPresence({ awareness, identity, walletId: WALLET, now });
  open.push(presence, awareness);
  return { doc, awareness, identity, presence };
}

/** Everything `from` knows reaches `to` (one direction, like a WebRTC message). */
function send(from: Awareness, to: Awareness) {
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...new Set([from.clientID, ...from.getStates().keys()])]), 'peer');
}

afterEach(() => {
  for (const x of open.splice(0)) x.destroy();
});

describe('presence', () => {
  it('shows a connected device by its key, and nothing of it lands in the Y.Doc', () => {
    const a = device();
    const b = device();
    const before = Y.encodeStateAsUpdate(a.doc);
    send(b.awareness, a.awareness);
    expect(a.presence.online()).toEqual({ [b.identity.publicKey]: t });
    expect(Y.encodeStateAsUpdate(a.doc)).toEqual(before);
    expect([...a.doc.share.keys()]).toEqual([]);
  });

  it('drops a state older than the freshness window; a re-announce brings it back', () => {
    const a = device();
    const b = device();
    send(b.awareness, a.awareness);
    t += PRESENCE_FRESH_MS + 1;
    expect(a.presence.online()).toEqual({});
    b.presence.announce();
    send(b.awareness, a.awareness);
    expect(a.presence.online()).toEqual({ [b.identity.publicKey]: t });
  });

  it("a room member can't show another device online: forged key, moved state, bad shapes", () => {
    const a = device();
    const b = device();
    const mallory = device();
    // Claims to be B with its own signature.
    const own = mallory.awareness.getLocalState()!.cairn as { device: string; at: number; sig: string };
    mallory.awareness.setLocalStateField('cairn', { ...own, device: b.identity.publicKey });
    send(mallory.awareness, a.awareness);
    expect(a.presence.online()).toEqual({});
    // Copies B's real, signed state onto its own client id.
    mallory.awareness.setLocalStateField('cairn', b.awareness.getLocalState()!.cairn);
    send(mallory.awareness, a.awareness);
    expect(a.presence.online()).toEqual({});
    for (const junk of [null, 'x', { device: b.identity.publicKey }, { ...own, extra: 1 }, { ...own, at: -1 }, { ...own, sig: 'zz' }]) {
      mallory.awareness.setLocalStateField('cairn', junk);
      send(mallory.awareness, a.awareness);
      expect(a.presence.online()).toEqual({});
    }
  });

  it('a signature for another wallet does not count here', () => {
    const a = device();
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const other = watchPresence({ awareness, identity: createDeviceIdentity(), walletId: 'wallet-2', now });
    open.push(other, awareness);
    send(awareness, a.awareness);
    expect(a.presence.online()).toEqual({});
  });

  it('leaving withdraws the state', () => {
    const a = device();
    const b = device();
    send(b.awareness, a.awareness);
    b.presence.destroy();
    send(b.awareness, a.awareness);
    expect(a.presence.online()).toEqual({});
  });
});

describe('moving rooms', () => {
  it('waits until the followers present here show the same next room; absent ones are not waited for', async () => {
    const a = device();
    const b = device();
    const absent = createDeviceIdentity().publicKey;
    send(b.awareness, a.awareness);
    let moved = false;
    let movingToo: string[] = [];
    const waiting = a.presence.waitForFollowers('room-2', [b.identity.publicKey, absent], 60_000).then((m) => {
      moved = true;
      movingToo = m; // who the next room should see (a re-join watchdog waits for them there)
    });
    await Promise.resolve();
    expect(moved).toBe(false);
    b.presence.waitForFollowers('room-3', [], 0); // another room: still not followed
    send(b.awareness, a.awareness);
    await Promise.resolve();
    expect(moved).toBe(false);
    await b.presence.waitForFollowers('room-2', [], 0);
    send(b.awareness, a.awareness);
    await waiting;
    expect(moved).toBe(true);
    expect(movingToo).toEqual([b.identity.publicKey]);
  });
});

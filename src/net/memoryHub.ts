/**
 * An in-memory network for tests: connects several `Y.Doc`s by relaying Yjs updates, the way
 * y-webrtc does between browsers, with the faults a real network has. The request log on top is
 * the real one — only the network is swapped.
 *
 * - Every local update of a connected doc is sent to every other online peer, each copy after its
 *   own delay (`delayMs`), so updates arrive reordered; Yjs must (and does) cope.
 * - `peer.setOnline(false)` drops everything sent to or from that peer (not queued: lost, like a
 *   dead link). `setOnline(true)` resyncs with every online peer by exchanging state vectors
 *   (`encodeStateAsUpdate(doc, remoteStateVector)`), which is how a reconnecting peer catches up.
 * - `hub.addHostilePeer()` returns a peer that can push arbitrary raw values into the log array
 *   or delete items — everything a malicious room member can do to a Yjs doc.
 * - Randomness comes from a seeded PRNG (`seed`), so a failing run can be replayed.
 */
import * as Y from 'yjs';
import { LOG_ARRAY_NAME } from './requestLog.ts';

export type MemoryHubOptions = {
  /** Delay of each delivery in ms; a function gets the hub's PRNG for random delays. Default 0. */
  delayMs?: number | ((random: () => number) => number);
  /** Probability that a single delivery is lost (the peer stays online). Default 0. */
  dropRate?: number;
  seed?: number;
};

export interface HubPeer {
  readonly name: string;
  readonly doc: Y.Doc;
  setOnline(online: boolean): void;
  isOnline(): boolean;
  /** Resync with all online peers now (state-vector exchange), e.g. after random drops. */
  resync(): void;
  leave(): void;
}

export interface HostilePeer extends HubPeer {
  /** Pushes raw values straight into the shared log array. */
  inject(...values: unknown[]): void;
  /** Deletes `length` items of the log array at `index`. */
  deleteAt(index: number, length?: number): void;
}

export interface MemoryHub {
  join(doc: Y.Doc, name?: string): HubPeer;
  addHostilePeer(name?: string): HostilePeer;
  /** Resolves once no delivery is in flight (loops until quiet). */
  settle(): Promise<void>;
  peers(): HubPeer[];
}

const HUB_ORIGIN = Symbol('memory-hub');

export function createMemoryHub({ delayMs = 0, dropRate = 0, seed = 1 }: MemoryHubOptions = {}): MemoryHub {
  const random = mulberry32(seed);
  const members = new Map<Y.Doc, { peer: HubPeer; online: boolean; detach: () => void }>();
  let inFlight = 0;
  let quietWaiters: (() => void)[] = [];

  function delay(): number {
    return typeof delayMs === 'function' ? Math.max(0, delayMs(random)) : delayMs;
  }

  function send(to: Y.Doc, update: Uint8Array): void {
    if (dropRate > 0 && random() < dropRate) return;
    inFlight++;
    setTimeout(() => {
      inFlight--;
      const target = members.get(to);
      if (target?.online) Y.applyUpdate(to, update, HUB_ORIGIN);
      if (inFlight === 0) {
        const waiters = quietWaiters;
        quietWaiters = [];
        waiters.forEach((w) => w());
      }
    }, delay());
  }

  function syncPair(a: Y.Doc, b: Y.Doc): void {
    send(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    send(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  }

  function resync(doc: Y.Doc): void {
    for (const [other, m] of members) if (other !== doc && m.online) syncPair(doc, other);
  }

  function join(doc: Y.Doc, name = `peer${members.size + 1}`): HubPeer {
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin === HUB_ORIGIN || !members.get(doc)?.online) return;
      for (const [other, m] of members) if (other !== doc && m.online) send(other, update);
    };
    doc.on('update', onUpdate);
    const peer: HubPeer = {
      name,
      doc,
      setOnline(online) {
        const m = members.get(doc);
        if (!m || m.online === online) return;
        m.online = online;
        if (online) resync(doc);
      },
      isOnline: () => members.get(doc)?.online ?? false,
      resync: () => resync(doc),
      leave() {
        members.get(doc)?.detach();
        members.delete(doc);
      },
    };
    members.set(doc, { peer, online: true, detach: () => doc.off('update', onUpdate) });
    resync(doc);
    return peer;
  }

  return {
    join,
    addHostilePeer(name = 'hostile') {
      const doc = new Y.Doc();
      const peer = join(doc, name);
      const array = doc.getArray<unknown>(LOG_ARRAY_NAME);
      return {
        ...peer,
        inject: (...values) => array.push(values),
        deleteAt: (index, length = 1) => array.delete(index, length),
      };
    },
    async settle() {
      for (;;) {
        if (inFlight === 0) {
          // Let observers that append in reaction run, then check again.
          await new Promise((r) => setTimeout(r, 0));
          if (inFlight === 0) return;
        }
        await new Promise<void>((r) => quietWaiters.push(r));
      }
    },
    peers: () => [...members.values()].map((m) => m.peer),
  };
}

/** Small seeded PRNG for test schedules (never for keys). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

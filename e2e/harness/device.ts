// Test-only harness (served by the Vite dev server at /e2e/harness/device.html): the real
// src/device and src/net modules, driven from Playwright through `window.cairn`. Nothing here
// is mocked; it only composes the modules the way the app will.
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { randomBytes } from '@noble/hashes/utils.js';
import { openShareStore, type ShareStore } from '../../src/device/shareStore.ts';
import { createIdbBackend } from '../../src/device/storageBackend.ts';
import { setUpDeviceUnlock, unlockDevice } from '../../src/device/deviceUnlock.ts';
import { createDeviceIdentity, type DeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { loadDeviceIdentity, loadOrCreateDeviceIdentity, saveDeviceIdentity } from '../../src/device/walletRecords.ts';
import { hexToBytesStrict, toHex } from '../../src/device/byteCodec.ts';
import { openWalletDoc, type WalletDoc } from '../../src/net/walletDoc.ts';
import { createWebrtcRooms, roomNameFor, type WebrtcRoom } from '../../src/net/webrtcRoom.ts';
import { openRequestLog, type RequestLog } from '../../src/net/requestLog.ts';
import { CairnError } from '../../src/core/errors.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

let store: ShareStore | null = null;
function theStore(): ShareStore {
  store ??= openShareStore({ backend: createIdbBackend() });
  return store;
}

const rooms = createWebrtcRooms();
let session: { walletDoc: WalletDoc; room: WebrtcRoom; log: RequestLog; identity: DeviceIdentity } | null = null;
let outsider: { provider: WebrtcProvider; doc: Y.Doc } | null = null;
let persistent: { walletDoc: WalletDoc; log: RequestLog } | null = null;
const tapped: string[] = [];

/** Errors cross the page boundary as plain objects the test can assert on. */
async function call<T>(fn: () => Promise<T>): Promise<T | { error: { code: string; message: string } }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CairnError) return { error: { code: e.code, message: e.shortMessage } };
    return { error: { code: 'UNEXPECTED', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
}

const cairn = {
  /** First run: a passkey with PRF if the authenticator has it, else the passphrase. */
  setUpUnlock: (passphrase?: string, preferPassphrase = false) =>
    call(async () => {
      const started = performance.now();
      const method = await setUpDeviceUnlock({ store: theStore(), userName: 'guardian@cairn.test', passphrase, preferPassphrase });
      return method === 'passphrase' ? { method, setupMs: performance.now() - started } : { method };
    }),
  unlock: (passphrase?: string) => call(async () => ({ method: await unlockDevice({ store: theStore(), passphrase }) })),
  lock: () => call(async () => theStore().lock()),
  isLocked: () => theStore().isLocked(),
  putText: (name: string, value: string) => call(() => theStore().putRecord(name, enc.encode(value))),
  getText: (name: string) =>
    call(async () => {
      const v = await theStore().getRecord(name);
      return v === undefined ? null : dec.decode(v);
    }),
  createIdentity: () =>
    call(async () => {
      const id = createDeviceIdentity();
      await saveDeviceIdentity(theStore(), id);
      return id.publicKey;
    }),
  loadIdentity: () => call(async () => (await loadDeviceIdentity(theStore()))?.publicKey ?? null),

  /** The wallet's log persisted by y-indexeddb, authored by this device's stored identity. */
  openPersistentLog: (walletId: string) =>
    call(async () => {
      const identity = await loadDeviceIdentity(theStore());
      if (!identity) throw new CairnError('NOT_FOUND', 'no device identity');
      const walletDoc = openWalletDoc({ walletId, persist: true });
      await walletDoc.whenLoaded;
      persistent = { walletDoc, log: openRequestLog({ doc: walletDoc.doc, identity, members: [identity.publicKey], scope: walletId }) };
      return persistent.log.entries().map((e) => ({ kind: e.kind, body: dec.decode(e.body), author: e.author }));
    }),
  appendPersistent: (kind: string, body: string) => call(async () => persistent!.log.append(kind, enc.encode(body)).id),
  closePersistentLog: () =>
    call(async () => {
      persistent?.log.destroy();
      await persistent?.walletDoc.destroy();
      persistent = null;
    }),

  /** Joins the wallet's room as this device (its sealed identity when unlocked, else a throwaway one). */
  joinRoom: (walletId: string, roomSecretHex: string) =>
    call(async () => {
      const s = theStore();
      const identity = !s.isLocked() ? await loadOrCreateDeviceIdentity(s) : createDeviceIdentity();
      const walletDoc = openWalletDoc({ walletId, persist: false });
      const roomSecret = hexToBytesStrict(roomSecretHex, 'room secret', 32);
      const room = await rooms.open({ doc: walletDoc.doc, walletId, roomSecret });
      const log = openRequestLog({ doc: walletDoc.doc, identity, members: [identity.publicKey], scope: walletId });
      session = { walletDoc, room, log, identity };
      return { publicKey: identity.publicKey, roomName: room.roomName };
    }),
  /** Closes and immediately reopens the same room (a remount): must not collide in y-webrtc. */
  remount: (walletId: string, roomSecretHex: string) =>
    call(async () => {
      if (!session) throw new Error('no session');
      const roomSecret = hexToBytesStrict(roomSecretHex, 'room secret', 32);
      void session.room.destroy(); // not awaited on purpose: the opener must wait for it
      session.room = await rooms.open({ doc: session.walletDoc.doc, walletId, roomSecret });
      return session.room.roomName;
    }),
  /** Goes offline from the room (the log stays in memory) and comes back later. */
  leaveRoom: () => call(async () => session!.room.destroy()),
  rejoinRoom: (walletId: string, roomSecretHex: string) =>
    call(async () => {
      session!.room = await rooms.open({ doc: session!.walletDoc.doc, walletId, roomSecret: hexToBytesStrict(roomSecretHex, 'room secret', 32) });
    }),
  /** Appends `count` entries of `size` random bytes (hex-encoded, so 2 × size on the wire). */
  appendFiller: (count: number, size: number) =>
    call(async () => {
      for (let i = 0; i < count; i++) session!.log.append('request', enc.encode(toHex(randomBytes(size))));
      return session!.walletDoc.doc
        .getArray('cairn/request-log')
        .toArray()
        .reduce((n: number, v) => n + (v as Uint8Array).length, 0);
    }),
  setMembers: (keys: string[]) => session!.log.setMembers(keys),
  append: (kind: string, body: string) => call(async () => session!.log.append(kind, enc.encode(body)).id),
  entries: () => session?.log.entries().map((e) => ({ id: e.id, author: e.author, kind: e.kind, body: dec.decode(e.body) })) ?? [],
  webrtcConnCount: () => session?.room.webrtcConnCount() ?? 0,
  peers: () => session?.room.peers() ?? [],
  roomNameFor: (walletId: string, roomSecretHex: string) => roomNameFor(walletId, hexToBytesStrict(roomSecretHex, 'room secret', 32)),

  /** An outsider who knows the room name (e.g. the signaling operator) but not the secret. */
  joinAsOutsider: (roomName: string, signalingUrl: string) => {
    const doc = new Y.Doc();
    const provider = new WebrtcProvider(roomName, doc, { signaling: [signalingUrl], password: toHex(randomBytes(32)) });
    outsider = { provider, doc };
  },
  /** What a signaling operator sees: a raw subscriber to the room's topic, recording every publish. */
  tapSignaling: (url: string, roomName: string) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'subscribe', topics: [roomName] }));
        resolve();
      };
      ws.onerror = () => reject(new Error('signaling tap could not connect'));
      ws.onmessage = (m) => tapped.push(String(m.data));
    }),
  tapped: () => [...tapped],
  outsiderItemCount: () => outsider?.doc.getArray('cairn/request-log').length ?? 0,
  signalingUrls: () => (import.meta.env.VITE_SIGNALING_URLS as string | undefined) ?? '',
};

declare global {
  interface Window {
    cairn: typeof cairn;
  }
}
window.cairn = cairn;
document.getElementById('status')!.textContent = 'ready';

// Test-only harness (served by the Vite dev server at /e2e/harness/guardian.html): one real guardian
// — src/protocol's facade over the real share store (IndexedDB), passkey unlock, y-indexeddb wallet
// doc and y-webrtc room — driven from Playwright through `window.guardian`. Nothing is mocked.
// The only test hooks: `exportShareForTest` and the nonce capture, so the spec can search raw
// IndexedDB and the signaling traffic for those bytes.
import { CairnError, decodeKeyPackage } from '../../src/core/index.ts';
import { toHex, utf8 } from '../../src/device/byteCodec.ts';
import { setUpDeviceUnlock, unlockDevice } from '../../src/device/deviceUnlock.ts';
import { openShareStore, type ShareStore } from '../../src/device/shareStore.ts';
import { createIdbBackend } from '../../src/device/storageBackend.ts';
import { getCurrentEpoch, loadOrCreateDeviceIdentity } from '../../src/device/walletRecords.ts';
import { inviteFromFragment, inviteToFragment } from '../../src/net/invite.ts';
import { openWalletDoc } from '../../src/net/walletDoc.ts';
import { createWebrtcRooms, defaultSignalingUrls, nextRoomTag, roomNameFor, type WebrtcRoom } from '../../src/net/webrtcRoom.ts';
import { noIceServers, parseIceConfigJson } from '../../src/net/iceConfig.ts';
import { watchPresence } from '../../src/net/presence.ts';
import { createGuardian, type FrostSignResult, type Guardian, type GuardianEvent } from '../../src/protocol/index.ts';
import { lastWalletId } from '../../src/protocol/walletRoomRecord.ts';

const now = () => performance.timeOrigin + performance.now();
const query = new URLSearchParams(location.search);
const capturedNonces: string[] = [];
let store: ShareStore | undefined;
let guardian: Guardian | undefined;
let room: WebrtcRoom | undefined;
const rooms = createWebrtcRooms();
const signatures = new Map<string, Promise<FrostSignResult>>();
const seenRequests: string[] = [];
const progress: string[] = [];
const marks: Record<string, number> = {};
const timeline: string[] = [];

function theStore(): ShareStore {
  if (!store) {
    const base = openShareStore({ backend: createIdbBackend(), autoLockMs: Infinity });
    // Test hook: remember each nonce record's plaintext as it is written (sealed on disk).
    store = {
      ...base,
      async putRecord(name, value) {
        if (name.includes('/nonce/')) capturedNonces.push(toHex(value));
        return base.putRecord(name, value);
      },
    };
  }
  return store;
}

async function call<T>(fn: () => Promise<T>): Promise<T | { error: { code: string; message: string } }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CairnError) return { error: { code: e.code, message: e.shortMessage } };
    return { error: { code: 'UNEXPECTED', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
}

async function startGuardian(): Promise<Guardian> {
  const s = theStore();
  const identity = await loadOrCreateDeviceIdentity(s);
  guardian = createGuardian({
    identity,
    store: s,
    // A creator's signaling URLs (`?signaling=a,b`) and STUN/TURN servers (`?ice=<json>`), as in
    // Settings; joiners take theirs from the invite.
    signalingUrls: query.get('signaling')?.split(',') ?? defaultSignalingUrls(),
    ice: query.has('ice') ? parseIceConfigJson(query.get('ice')!) : noIceServers(),
    roundTimeoutMs: 15_000,
    connect: async ({ walletId, roomSecret, signalingUrls, ice }) => {
      const walletDoc = openWalletDoc({ walletId });
      await walletDoc.whenLoaded;
      room = await rooms.open({ doc: walletDoc.doc, walletId, roomSecret, signalingUrls, ice });
      // Presence, as in the app: here only so that moving rooms waits for the others (walletSession.ts).
      let presence = watchPresence({ awareness: room.awareness, identity, walletId });
      return {
        doc: walletDoc.doc,
        moveTo: async (secret: Uint8Array, followers: readonly string[]) => {
          await presence.waitForFollowers(nextRoomTag(walletId, secret), followers, 20_000);
          presence.destroy();
          await room?.destroy();
          room = await rooms.open({ doc: walletDoc.doc, walletId, roomSecret: secret, signalingUrls, ice });
          presence = watchPresence({ awareness: room.awareness, identity, walletId });
        },
        close: async () => {
          presence.destroy();
          await room?.destroy();
          await walletDoc.destroy();
        },
      };
    },
  });
  guardian.on((e: GuardianEvent) => {
    if (e.type !== 'rejected') timeline.push(`${Math.round(now())} ${e.type}${'round' in e ? ` ${e.protocol} r${e.round}` : ''}`);
    if (e.type === 'request') seenRequests.push(e.requestId);
    if (e.type === 'progress') progress.push(`${e.protocol} round ${e.round} of ${e.rounds}`);
    if (e.type === 'approvals') progress.push(`${e.count} of ${e.needed} approvals`);
    if (e.type === 'progress' && e.protocol === 'dkg' && e.round === 1) marks.dkgStartAt ??= now();
    if (e.type === 'ready') marks.readyAt = now();
    if (e.type === 'signature') marks[`signature:${e.requestId}`] = now();
  });
  return guardian;
}

const api = {
  setUp: (passphrase?: string) =>
    call(async () => {
      const method = await setUpDeviceUnlock({
        store: theStore(),
        userName: 'guardian@cairn.test',
        passphrase,
        scrypt: passphrase ? { N: 2 ** 12, r: 8, p: 1 } : undefined,
      });
      const g = await startGuardian();
      return { method, publicKey: g.publicKey };
    }),
  unlock: (passphrase?: string) =>
    call(async () => {
      const method = await unlockDevice({ store: theStore(), passphrase });
      const g = await startGuardian();
      return { method, publicKey: g.publicKey, lastWallet: await lastWalletId(theStore()) };
    }),
  createWallet: (threshold: number, guardians: number) =>
    call(async () => {
      const { walletId, invites } = await guardian!.createWallet({ threshold, guardians });
      return { walletId, links: invites.map((i) => `${location.origin}/${inviteToFragment(i)}`) };
    }),
  join: (link: string) =>
    call(async () => {
      marks.joinedAt = now();
      return guardian!.join(inviteFromFragment(link, Date.now()));
    }),
  whenReady: () =>
    call(async () => {
      const w = await guardian!.whenReady();
      return { walletId: w.walletId, groupKey: w.groupKey, threshold: w.pub.threshold, readyAt: marks.readyAt!, dkgStartAt: marks.dkgStartAt! };
    }),
  open: (walletId: string) =>
    call(async () => {
      const w = await guardian!.open(walletId);
      return { walletId: w.walletId, groupKey: w.groupKey };
    }),
  requestSignature: (message: string) =>
    call(async () => {
      const { requestId, signature } = await guardian!.requestSignature({ type: 'test-message', message: utf8(message) });
      signatures.set(requestId, signature);
      return requestId;
    }),
  /** Waits until the request has reached this device. */
  waitForRequest: (requestId: string) =>
    call(async () => {
      while (!seenRequests.includes(requestId)) await new Promise((r) => setTimeout(r, 5));
      return requestId;
    }),
  approve: (requestId: string) =>
    call(async () => {
      const at = now();
      await guardian!.approve(requestId);
      return { approvedAt: at };
    }),
  signature: (requestId: string) =>
    call(async () => {
      const res = await signatures.get(requestId)!;
      return { signature: toHex(res.signature), digest: toHex(res.digest), signers: res.signers, at: marks[`signature:${requestId}`]! };
    }),
  webrtcConnCount: () => room?.webrtcConnCount() ?? 0,
  publicKey: () => guardian?.publicKey,
  /** Proposes a reshare to `holders` with threshold `t` (every current holder deals); it runs once t guardians approved it. */
  reshare: (holders: string[], t: number) =>
    call(async () => {
      void guardian!.reshare(holders, t).catch(() => undefined);
      return true;
    }),
  /** This device's person approves the open key-change proposals it is shown (waits up to 60 s for one). */
  approveKeyChanges: () =>
    call(async () => {
      for (let i = 0; i < 2400; i++) {
        const open = guardian!.keyChanges().filter((s) => (s.state === 'waiting' || s.state === 'approved') && !s.approvers.includes(guardian!.publicKey));
        for (const s of open) guardian!.approveKeyChange(s.id);
        if (open.length) return open.length;
        await new Promise((r) => setTimeout(r, 25));
      }
      return 0;
    }),
  /** Ids of the log entries this device has. */
  logEntryIds: () =>
    guardian
      ?.log()
      ?.entries()
      .map((e) => e.id) ?? [],
  /** The WebRTC room this device is in (changes when the guardians move rooms). */
  roomName: () => room?.roomName,
  /** The room an invite link names. */
  inviteRoomName: (link: string) =>
    call(async () => {
      const invite = inviteFromFragment(link);
      return roomNameFor(invite.walletId, invite.roomSecret);
    }),
  /** Whether a reshare left this device out. */
  left: () => timeline.some((line) => line.endsWith(' left')),
  /** Peer id → the selected candidate pair's types (from getStats) of each live WebRTC connection. */
  candidatePairs: () => room?.candidatePairs() ?? {},
  progress: () => [...progress],
  /** When each event happened (ms since the epoch), for diagnosing latency. */
  timeline: () => [...timeline],
  /** TEST ONLY: the plaintext share and the nonces this device wrote, to search storage and traffic for. */
  exportShareForTest: (walletId: string) =>
    call(async () => {
      const rec = await getCurrentEpoch(theStore(), walletId);
      const key = decodeKeyPackage(rec!.keyPackage);
      return { share: toHex(key.signingShare), nonces: [...capturedNonces] };
    }),
  close: () => call(async () => guardian?.close()),
};

(window as unknown as { guardian: typeof api }).guardian = api;
document.getElementById('status')!.textContent = 'ready';

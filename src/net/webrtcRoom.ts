/**
 * A per-instance wrapper around y-webrtc's `WebrtcProvider`.
 *
 * - Room name = "cairn-" + SHA-256("cairn/room-name/v1" ‖ walletId ‖ roomSecret), truncated: the
 *   signaling server sees neither the wallet id nor anything that links the room to a wallet
 *   someone knows (wallet ids may be public, e.g. on chain).
 * - Room password = hex(HKDF-SHA256(roomSecret, "cairn/room-password/v1")). y-webrtc stretches it with
 *   PBKDF2 salted by the room name and uses it to encrypt signaling traffic (invariant 7 in docs/invariants.md:
 *   the signaling server sees ciphertext and routing only). The secret is 32 random bytes from the
 *   invite, so the public-name salt and PBKDF2 add nothing to guess at; what matters is entropy.
 *   Data channels are DTLS; every log entry is additionally signed by its author's device key.
 * - Signaling URLs are explicit. The default is the local server `npm start` runs, from
 *   `VITE_SIGNALING_URLS` — never a public server. y-webrtc connects to every URL given and
 *   announces the room on each, so with several servers a device fails over without a reconnect:
 *   peers still meet through any server that is up (and it retries the others with backoff).
 * - ICE servers (STUN/TURN) and the relay-only policy come from `ice` (`iceConfig.ts`), passed to
 *   every RTCPeerConnection; with none given, only host candidates (no public STUN default).
 * - y-webrtc keeps module-level maps of rooms and throws (asynchronously, unhandled) when a room name
 *   is opened twice, and its `destroy()` frees the name only after its key promise settles.
 *   `createWebrtcRooms()` is an instance (made once in the app's composition root) that awaits the
 *   previous instance's destruction before reopening the same room, so a remount or HMR can't collide.
 * - Data channels are framed (`framedDataChannel.ts`): y-webrtc sends a whole catch-up sync as one
 *   message, which browsers refuse above 256 KiB; frames of 64 KiB get any log size across.
 */
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { CairnError } from '../core/errors.ts';
import { ByteWriter, toHex, utf8 } from '../device/byteCodec.ts';
import { framedRtc } from './framedDataChannel.ts';
import { noIceServers, validateIceConfig, type IceConfig } from './iceConfig.ts';
import { selectedCandidatePair, type SelectedCandidatePair } from './selectedCandidatePair.ts';

export type WebrtcRoomParameters = {
  doc: Y.Doc;
  walletId: string;
  /** 32 random bytes from the invite. */
  roomSecret: Uint8Array;
  /** ws:// or wss:// URLs. Default: `defaultSignalingUrls()`. */
  signalingUrls?: string[];
  /** STUN/TURN servers and policy. Default: none (host candidates only). */
  ice?: IceConfig;
};

export type RoomStatus = { connected: boolean; signalingUp: number };

export type PeersEvent = { added: string[]; removed: string[]; webrtcPeers: string[]; bcPeers: string[] };

export interface WebrtcRoom {
  readonly roomName: string;
  /** Ids of currently connected peers (WebRTC and same-browser BroadcastChannel). */
  peers(): string[];
  /** `connected`: the room is open; `signalingUp`: how many of its signaling servers this device reaches right now. */
  status(): RoomStatus;
  onPeers(cb: (e: PeersEvent) => void): () => void;
  /** Called when the room opens or closes and when a signaling server connects or drops. */
  onStatus(cb: (e: RoomStatus) => void): () => void;
  /** y-webrtc's Awareness of this room: ephemeral state shared with connected peers, never in the doc (`presence.ts`). */
  readonly awareness: Awareness;
  /** Number of live WebRTC connections (not BroadcastChannel): tests assert > 0. */
  webrtcConnCount(): number;
  /** The path each live WebRTC connection took (peer id → selected candidate pair; see `selectedCandidatePair.ts`). */
  candidatePairs(): Promise<Record<string, SelectedCandidatePair | undefined>>;
  /** Leaves the room; resolves once y-webrtc has released the room name. */
  destroy(): Promise<void>;
}

export function roomNameFor(walletId: string, roomSecret: Uint8Array): string {
  checkSecret(roomSecret);
  const pre = new ByteWriter().bytes(utf8('cairn/room-name/v1')).str16(walletId).bytes(roomSecret).finish();
  return `cairn-${toHex(sha256(pre)).slice(0, 40)}`;
}

/** A label of a room that says nothing usable about it (not its name): shown to the old room while moving (`presence.ts`). */
export function nextRoomTag(walletId: string, roomSecret: Uint8Array): string {
  return toHex(sha256(utf8(`cairn/next-room/v1${roomNameFor(walletId, roomSecret)}`))).slice(0, 32);
}

export function roomPasswordFor(roomSecret: Uint8Array): string {
  checkSecret(roomSecret);
  return toHex(hkdf(sha256, roomSecret, undefined, utf8('cairn/room-password/v1'), 32));
}

function checkSecret(s: Uint8Array): void {
  if (!(s instanceof Uint8Array) || s.length !== 32) throw new CairnError('BAD_PARAMETERS', 'The room secret must be 32 bytes');
}

/** `VITE_SIGNALING_URLS` (comma-separated), as set by `npm start` for its local server. */
export function defaultSignalingUrls(): string[] {
  const raw = (import.meta.env?.VITE_SIGNALING_URLS as string | undefined) ?? '';
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface WebrtcRooms {
  open(params: WebrtcRoomParameters): Promise<WebrtcRoom>;
}

/** A room opener that serialises open/destroy per room name (see the header). */
export function createWebrtcRooms(): WebrtcRooms {
  const live = new Map<string, WebrtcRoom>();
  const closing = new Map<string, Promise<void>>();
  return {
    async open(params) {
      const name = roomNameFor(params.walletId, params.roomSecret);
      const previous = live.get(name);
      if (previous) await previous.destroy();
      await closing.get(name);
      const room = openProvider(name, params, (done) => {
        live.delete(name);
        closing.set(name, done);
        void done.then(() => closing.get(name) === done && closing.delete(name));
      });
      live.set(name, room);
      return room;
    },
  };
}

function openProvider(roomName: string, params: WebrtcRoomParameters, onDestroy: (done: Promise<void>) => void): WebrtcRoom {
  const signaling = params.signalingUrls ?? defaultSignalingUrls();
  if (signaling.length === 0) throw new CairnError('BAD_PARAMETERS', 'No signaling server configured (set VITE_SIGNALING_URLS or pass signalingUrls)');
  for (const url of signaling) {
    if (!/^wss?:\/\//.test(url)) throw new CairnError('BAD_PARAMETERS', 'Signaling URLs must start with ws:// or wss://');
  }
  const ice = validateIceConfig(params.ice ?? noIceServers());
  const provider = new WebrtcProvider(roomName, params.doc, {
    signaling,
    password: roomPasswordFor(params.roomSecret),
    // simple-peer merges `config` over its defaults (public STUN servers): ours replaces them.
    peerOpts: { wrtc: framedRtc(), config: { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy } },
  });
  let peers: string[] = [];
  const onPeers = (e: PeersEvent) => {
    peers = [...new Set([...e.webrtcPeers, ...e.bcPeers])];
  };
  provider.on('peers', onPeers);
  const status = (): RoomStatus => ({ connected: provider.connected, signalingUp: provider.signalingConns.filter((c) => c.connected).length });
  let destroyed: Promise<void> | null = null;
  return {
    roomName,
    awareness: provider.awareness,
    peers: () => [...peers],
    status,
    onPeers(cb) {
      provider.on('peers', cb);
      return () => provider.off('peers', cb);
    },
    onStatus(cb) {
      // y-webrtc's 'status' only says whether the room is open; each signaling socket (shared by
      // every room on that URL) says whether it is up.
      const report = () => cb(status());
      provider.on('status', report);
      for (const conn of provider.signalingConns) {
        conn.on('connect', report);
        conn.on('disconnect', report);
      }
      return () => {
        provider.off('status', report);
        for (const conn of provider.signalingConns) {
          conn.off('connect', report);
          conn.off('disconnect', report);
        }
      };
    },
    webrtcConnCount: () => provider.room?.webrtcConns.size ?? 0,
    async candidatePairs() {
      const out: Record<string, SelectedCandidatePair | undefined> = {};
      for (const [peerId, conn] of provider.room?.webrtcConns ?? []) {
        const pc = (conn.peer as unknown as { _pc?: RTCPeerConnection })._pc; // simple-peer's connection
        out[peerId] = pc ? await selectedCandidatePair(pc) : undefined;
      }
      return out;
    },
    destroy() {
      if (!destroyed) {
        provider.off('peers', onPeers);
        provider.destroy();
        // y-webrtc deletes the room from its map in `key.then(...)`; our `then` runs after it.
        destroyed = Promise.resolve(provider.key).then(() => undefined);
        onDestroy(destroyed);
      }
      return destroyed;
    },
  };
}

/**
 * The wallet session's place on the network: the WebRTC room of the wallet's current room secret
 * on the wallet's Y.Doc, and presence in it (signed Awareness states, src/net/presence.ts; nothing
 * in the persisted doc). When the guardians move to a new room (src/protocol/roomRotation.ts) it
 * waits, bounded, for the others present to be moving too, then leaves for the new one.
 *
 * Older versions wrote a heartbeat into the doc's `cairn/presence` map every 5 s; each device
 * deletes its own entry there once, so the doc stops carrying it.
 */
import type * as Y from 'yjs';
import type { DeviceIdentity } from '../../device/deviceIdentity.ts';
import { mergeIceConfigs, type IceConfig } from '../../net/iceConfig.ts';
import { watchPresence, type Presence } from '../../net/presence.ts';
import { createWebrtcRooms, nextRoomTag, type WebrtcRoom } from '../../net/webrtcRoom.ts';
import { loadSettings } from './settings.ts';

const rooms = createWebrtcRooms();
const LEGACY_HEARTBEAT_MAP = 'cairn/presence';
/** How long a device waits for the others to be moving too before it leaves anyway. */
const FOLLOW_WAIT_MS = 20_000;
/** After a move: how long before a device that moved along but isn't seen here makes this one join again, and how often. */
const REJOIN_AFTER_MS = 8_000;
const REJOIN_ATTEMPTS = 3;
/** Up to 2 s, so that two devices missing each other don't re-join in lockstep. */
const jitterMs = () => crypto.getRandomValues(new Uint16Array(1))[0]! % 2_000;

export type WalletRoomLinkParameters = {
  doc: Y.Doc;
  walletId: string;
  signalingUrls: string[];
  /** The wallet's ICE servers (from its invite or creator); this device's own from Settings are added. */
  ice: IceConfig;
  identity: DeviceIdentity;
  onChange: () => void;
};

export class WalletRoomLink {
  private room: WebrtcRoom | undefined;
  private presence: Presence | undefined;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly p: WalletRoomLinkParameters) {
    const legacy = p.doc.getMap<number>(LEGACY_HEARTBEAT_MAP);
    if (legacy.has(p.identity.publicKey)) legacy.delete(p.identity.publicKey);
  }

  /** Enters the room of `roomSecret` (leaving the current one). Without a reachable signaling server the wallet stays usable offline. */
  async join(roomSecret: Uint8Array): Promise<void> {
    await this.leave();
    try {
      this.room = await rooms.open({
        doc: this.p.doc,
        walletId: this.p.walletId,
        roomSecret,
        signalingUrls: this.p.signalingUrls,
        ice: mergeIceConfigs(this.p.ice, loadSettings().ice),
      });
      this.offs.push(this.room.onPeers(this.p.onChange), this.room.onStatus(this.p.onChange));
      this.presence = watchPresence({ awareness: this.room.awareness, identity: this.p.identity, walletId: this.p.walletId });
      this.offs.push(this.presence.onChange(this.p.onChange));
    } catch {
      // No signaling server configured or reachable: the wallet and its log still open from IndexedDB.
    }
  }

  /** The guardians move rooms: nobody leaves before the others here have learnt where to go (bounded). */
  async moveTo(roomSecret: Uint8Array, followers: readonly string[]): Promise<void> {
    const movingToo = (await this.presence?.waitForFollowers(nextRoomTag(this.p.walletId, roomSecret), followers, FOLLOW_WAIT_MS)) ?? [];
    await this.join(roomSecret);
    this.p.onChange();
    void this.rejoinUntilSeen(roomSecret, movingToo);
  }

  /**
   * The devices that moved with this one all enter the new room at once, and a WebRTC handshake
   * can get lost in that crowd (two offers crossing): y-webrtc does not retry it, and Yjs does not
   * relay updates through a third peer, so two guardians would stop syncing for good. A device that
   * moved along but isn't seen here after a while is reached again by joining the room anew (a few
   * times, at staggered moments).
   */
  private async rejoinUntilSeen(roomSecret: Uint8Array, expected: readonly string[]): Promise<void> {
    for (let attempt = 0; attempt < REJOIN_ATTEMPTS && expected.length; attempt++) {
      const room = this.room;
      await new Promise((r) => setTimeout(r, REJOIN_AFTER_MS + jitterMs()));
      if (!room || this.room !== room) return; // moved on, left or closed meanwhile
      const seen = this.seen();
      if (expected.every((k) => k in seen)) return;
      await this.join(roomSecret);
      this.p.onChange();
    }
  }

  async leave(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    this.presence?.destroy();
    this.presence = undefined;
    await this.room?.destroy();
    this.room = undefined;
  }

  /** Device key → time of its latest signed presence here. */
  seen(): Record<string, number> {
    return this.presence?.online() ?? {};
  }

  peers(): number {
    return this.room?.peers().length ?? 0;
  }

  /** This device reaches a signaling server right now. */
  connected(): boolean {
    return (this.room?.status().signalingUp ?? 0) > 0;
  }
}

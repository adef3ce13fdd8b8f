/**
 * Who is online in a wallet's room, through y-protocols Awareness: ephemeral state that y-webrtc
 * passes between connected peers and that is never written to the Y.Doc (so it neither grows the
 * persisted log nor outlives the connection; Awareness drops a peer 30 s after its last update).
 *
 * Each device publishes `{ cairn: { device, at, sig } }`: its device key, the time, and its device
 * signature over (wallet id ‖ Awareness client id ‖ time). Readers keep only states that decode
 * strictly, verify, and are fresh: a room member can't show another device online (no key), can't
 * move a real state to another client id (the id is signed), and a replayed state expires with
 * its time. Which devices count (the wallet's guardians) is the caller's choice.
 *
 * While the guardians move to a new room (src/protocol/roomRotation.ts), each shows `moving: tag`
 * (a label of the next room, not its name or secret) and leaves once the others present show the
 * same. That field is not signed: a room member faking it can only make a device leave a little
 * earlier, which a bounded wait allows anyway.
 */
import type { Awareness } from 'y-protocols/awareness';
import { ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { signWithDevice, verifyDeviceSignature, type DeviceIdentity } from '../device/deviceIdentity.ts';

const DOMAIN = 'cairn/presence/v1';
/** A state older (or further ahead) than this is not presence. */
export const PRESENCE_FRESH_MS = 30_000;
/** How often this device re-signs its state (well inside the freshness window). */
export const PRESENCE_EVERY_MS = 10_000;

export type PresenceParameters = {
  awareness: Awareness;
  identity: DeviceIdentity;
  walletId: string;
  now?: () => number;
};

export interface Presence {
  /** Device key → time of its latest verified, fresh state (ms). This device is not listed. */
  online(): Record<string, number>;
  onChange(cb: () => void): () => void;
  /** Publishes a freshly signed state now (also runs every `PRESENCE_EVERY_MS`). */
  announce(): void;
  /**
   * Before leaving this room for another: shows `tag` (a label of the next room, not its secret) in
   * this device's state and resolves once every device of `followers` that is present here shows
   * the same tag — so nobody leaves before the others have learnt where to go — or after
   * `timeoutMs`. Followers not in this room are not waited for. Resolves with the followers that
   * showed the tag (they are moving too, so the next room should see them).
   */
  waitForFollowers(tag: string, followers: readonly string[], timeoutMs: number): Promise<string[]>;
  /** Stops announcing and withdraws this device's state. */
  destroy(): void;
}

type Signed = { device: string; at: number; sig: string };

function signedBytes(walletId: string, clientId: number, at: number): Uint8Array {
  return new ByteWriter().str16(walletId).u32(clientId).u64(at).finish();
}

/** Strict shape check of a peer's state; anything else is ignored. */
function readSigned(state: unknown): Signed | undefined {
  const s = (state as { cairn?: unknown } | null)?.cairn as Partial<Signed> | undefined;
  if (!s || typeof s !== 'object' || Object.keys(s).length !== 3) return undefined;
  if (typeof s.device !== 'string' || !/^0[23][0-9a-f]{64}$/.test(s.device)) return undefined;
  if (typeof s.sig !== 'string' || !/^[0-9a-f]{128}$/.test(s.sig)) return undefined;
  if (!Number.isSafeInteger(s.at) || (s.at as number) < 0) return undefined;
  return s as Signed;
}

export function watchPresence(p: PresenceParameters): Presence {
  const now = p.now ?? Date.now;
  const { awareness } = p;
  const listeners = new Set<() => void>();
  const onUpdate = () => {
    for (const cb of [...listeners]) cb();
  };
  awareness.on('change', onUpdate);

  function announce(): void {
    const at = now();
    const sig = signWithDevice(p.identity, DOMAIN, signedBytes(p.walletId, awareness.clientID, at));
    awareness.setLocalStateField('cairn', { device: p.identity.publicKey, at, sig: toHex(sig) });
  }
  announce();
  const timer = setInterval(announce, PRESENCE_EVERY_MS);

  /** Verified, fresh peers: device key → latest time and the next-room tag it shows (if any). */
  function verified(): Map<string, { at: number; moving?: string }> {
    const out = new Map<string, { at: number; moving?: string }>();
    const t = now();
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const s = readSigned(state);
      if (!s || s.device === p.identity.publicKey || Math.abs(t - s.at) > PRESENCE_FRESH_MS) continue;
      const msg = signedBytes(p.walletId, clientId, s.at);
      if (!verifyDeviceSignature(s.device, DOMAIN, msg, hexToBytesStrict(s.sig, 'presence signature', 64))) continue;
      const moving = (state as { moving?: unknown }).moving;
      const prev = out.get(s.device);
      if (!prev || prev.at < s.at) out.set(s.device, { at: s.at, ...(typeof moving === 'string' ? { moving } : {}) });
    }
    return out;
  }

  return {
    online() {
      return Object.fromEntries([...verified()].map(([device, v]) => [device, v.at]));
    },
    waitForFollowers(tag, followers, timeoutMs) {
      awareness.setLocalStateField('moving', tag);
      return new Promise<string[]>((resolve) => {
        const check = () => {
          const peers = verified();
          if (!followers.every((f) => !peers.has(f) || peers.get(f)!.moving === tag)) return;
          done();
        };
        const timer = setTimeout(() => done(), timeoutMs);
        const done = () => {
          clearTimeout(timer);
          awareness.off('change', check);
          const peers = verified();
          resolve(followers.filter((f) => peers.get(f)?.moving === tag));
        };
        awareness.on('change', check);
        check();
      });
    },
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    announce,
    destroy() {
      clearInterval(timer);
      awareness.off('change', onUpdate);
      awareness.setLocalState(null);
    },
  };
}

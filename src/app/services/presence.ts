/**
 * The wallet session's presence: signed Awareness states in the WebRTC room (src/net/presence.ts),
 * nothing in the persisted doc. Older versions wrote a heartbeat into the doc's `cairn/presence`
 * map every 5 s; each device deletes its own entry there once, so the doc stops carrying it.
 */
import type * as Y from 'yjs';
import type { DeviceIdentity } from '../../device/deviceIdentity.ts';
import { watchPresence, type Presence } from '../../net/presence.ts';
import type { WebrtcRoom } from '../../net/webrtcRoom.ts';

const LEGACY_HEARTBEAT_MAP = 'cairn/presence';

export function startPresence(p: { room: WebrtcRoom; doc: Y.Doc; identity: DeviceIdentity; walletId: string; onChange: () => void }): Presence {
  const legacy = p.doc.getMap<number>(LEGACY_HEARTBEAT_MAP);
  if (legacy.has(p.identity.publicKey)) legacy.delete(p.identity.publicKey);
  const presence = watchPresence({ awareness: p.room.awareness, identity: p.identity, walletId: p.walletId });
  presence.onChange(p.onChange);
  return presence;
}

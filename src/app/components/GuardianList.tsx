import type { Snapshot } from '../services/sessionSnapshot.ts';
import { PRESENCE_FRESH_MS } from '../../net/presence.ts';

/**
 * Guardians with their names and whether they are online: another device by its signed presence in
 * the room (src/net/presence.ts); this device when the browser is online and it reaches a signaling
 * server or a guardian.
 */
export function GuardianList({ snap, keys }: { snap: Snapshot; keys: readonly string[] }) {
  const now = Date.now();
  return (
    <ul className="guardians">
      {keys.map((k) => {
        const reachable = navigator.onLine && (snap.connected || snap.peers > 0);
        const online = k === snap.self ? reachable : reachable && snap.peers > 0 && now - (snap.seen[k] ?? 0) < PRESENCE_FRESH_MS;
        return (
          <li key={k} data-testid="guardian">
            <span className={online ? 'dot on' : 'dot'} aria-hidden="true" />
            <span className="name">
              {snap.info.names[k] ?? 'Guardian'}
              {k === snap.self ? ' (this device)' : ''}
            </span>
            <span className="muted">{online ? 'online' : 'offline'}</span>
          </li>
        );
      })}
    </ul>
  );
}

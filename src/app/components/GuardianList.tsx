import type { Snapshot } from '../services/sessionSnapshot.ts';

const ONLINE_MS = 15_000;

/** Guardians with their names and whether they are online (seen in the room lately). */
export function GuardianList({ snap, keys }: { snap: Snapshot; keys: readonly string[] }) {
  const now = Date.now();
  return (
    <ul className="guardians">
      {keys.map((k) => {
        // Seen lately through the shared doc, and this device is connected to someone right now.
        const online = k === snap.self || (navigator.onLine && snap.peers > 0 && now - (snap.seen[k] ?? 0) < ONLINE_MS);
        return (
          <li key={k} data-testid="guardian">
            <span className={online ? 'dot on' : 'dot'} aria-hidden="true" />
            <span className="name">{snap.info.names[k] ?? 'Guardian'}{k === snap.self ? ' (this device)' : ''}</span>
            <span className="muted">{online ? 'online' : 'offline'}</span>
          </li>
        );
      })}
    </ul>
  );
}

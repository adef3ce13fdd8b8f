/** Guardians this device banned from plain-address signing, each with the button that lifts the ban (a person's call). */
import { ecdsaBanNotices } from '../services/ecdsaBans.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function EcdsaBans({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const lift = useAsync((peer: string) => session.allowEcdsaSetupAgain(peer));
  const notices = ecdsaBanNotices(session.ecdsaBannedPeers(), snap.info.names);
  if (!notices.length) return null;
  return (
    <article className="card" data-testid="ecdsa-bans">
      <h2>Plain-address signing</h2>
      {notices.map((n) => (
        <div key={n.peer}>
          <p>{n.text}</p>
          <button type="button" className="secondary" disabled={lift.busy} onClick={() => void lift.run(n.peer)}>
            {n.button}
          </button>
        </div>
      ))}
      <ErrorNote text={lift.error && `${lift.error}. The ban stays; try again.`} />
    </article>
  );
}

/**
 * What a device that is not (or no longer) a guardian sees: why, and a way to leave the wallet and
 * forget it. Nothing of the wallet itself — no name, no history, no guardians.
 */
import { useAsync } from '../hooks/useAsync.ts';
import { leaveWallet } from '../services/leaveWallet.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { Waiting } from '../components/Waiting.tsx';

export function NotAGuardian({ session, reason, onLeft }: { session: WalletSession; reason: string | undefined; onLeft: () => void }) {
  const leave = useAsync(async () => {
    await leaveWallet(session);
    onLeft();
  });
  return (
    <section className="narrow" data-testid="not-a-guardian">
      <h1>This device is not a guardian</h1>
      <p>{reason ?? "This device is not one of the wallet's guardians."}</p>
      <p className="muted">Leaving removes everything this browser kept about that wallet. You can then create a wallet or join one with a new invite.</p>
      <ErrorNote text={leave.error} />
      <div className="actions">
        {leave.busy ? (
          <Waiting label="Leaving…" />
        ) : (
          <button type="button" className="primary" onClick={() => void leave.run()}>
            Leave and forget this wallet
          </button>
        )}
      </div>
    </section>
  );
}

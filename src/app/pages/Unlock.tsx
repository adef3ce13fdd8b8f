/** The lock screen: which wallet this is, and one button (or the passphrase) to unlock. */
import { useEffect, useState, type FormEvent } from 'react';
import { useAsync } from '../hooks/useAsync.ts';
import { unlockDevice } from '../../device/deviceUnlock.ts';
import { deviceStore, unlockKind, type UnlockKind } from '../services/device.ts';
import { reopenWallet } from '../services/onboarding.ts';
import { forgetWalletInfo, type WalletInfo } from '../services/walletInfo.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { Waiting } from '../components/Waiting.tsx';

export function Unlock({ info, onUnlocked }: { info: WalletInfo; onUnlocked: (s: WalletSession) => void }) {
  const [kind, setKind] = useState<UnlockKind | undefined>();
  const [passphrase, setPassphrase] = useState('');
  useEffect(() => void unlockKind().then(setKind), []);
  const { run, busy, error } = useAsync(async () => {
    await unlockDevice({ store: deviceStore(), passphrase: kind === 'passphrase' ? passphrase : undefined });
    const session = await reopenWallet();
    if (session) onUnlocked(session);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <main className="page narrow">
      <header className="brand">
        <img src="/icon.svg" alt="" width={40} height={40} />
        <h1>{info.name || 'Cairn wallet'}</h1>
      </header>
      <form className="card form" onSubmit={submit}>
        <p>This device is locked. Its share of the key stays encrypted until you unlock it.</p>
        {kind === 'passphrase' && (
          <label>
            Passphrase
            <input type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </label>
        )}
        <ErrorNote text={error} />
        {error?.includes('interrupted') && (
          <button type="button" className="secondary" onClick={() => void forgetWalletInfo(deviceStore()).then(() => location.reload())}>
            Start over in this browser
          </button>
        )}
        {busy ? (
          <Waiting label="Unlocking…" />
        ) : (
          <button type="submit" className="primary">
            {kind === 'passphrase' ? 'Unlock' : 'Unlock with your passkey'}
          </button>
        )}
      </form>
    </main>
  );
}

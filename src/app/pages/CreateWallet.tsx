/** Create a wallet: name it, choose t of n in plain words, protect this device, go. */
import { useState, type FormEvent } from 'react';
import { useAsync } from '../hooks/useAsync.ts';
import { useDeviceReady } from '../hooks/useDeviceReady.ts';
import { createWallet } from '../services/onboarding.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PassphraseFields } from '../components/PassphraseFields.tsx';
import { Waiting } from '../components/Waiting.tsx';

export function explainThreshold(t: number, n: number): string {
  const spare = n - t;
  const lost =
    spare === 0 ? 'every guardian is needed, so keep all devices safe' : `${spare === 1 ? 'one lost device loses' : `${spare} lost devices lose`} nothing`;
  return `Any ${t} of your ${n} guardians can approve a payment; ${lost}.`;
}

export function CreateWallet({ onCreated, onCancel }: { onCreated: (s: WalletSession) => void; onCancel: () => void }) {
  const [walletName, setWalletName] = useState('Family savings');
  const [guardianName, setGuardianName] = useState('My laptop');
  const [n, setN] = useState(3);
  const [t, setT] = useState(2);
  const [passphrase, setPassphrase] = useState('');
  const device = useDeviceReady();
  const { run, busy, error } = useAsync(async () => {
    if (device.needsPassphrase && passphrase.length < 8) throw new Error('Choose a passphrase of at least 8 characters.');
    if (!(await device.ensure(guardianName, device.needsPassphrase ? passphrase : undefined))) return;
    onCreated(
      await createWallet({ walletName: walletName.trim() || 'My wallet', guardianName: guardianName.trim() || 'Guardian 1', threshold: t, guardians: n }),
    );
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <main className="page narrow">
      <h1>Create a wallet</h1>
      <form className="card form" onSubmit={submit}>
        <label>
          Wallet name
          <input value={walletName} onChange={(e) => setWalletName(e.target.value)} maxLength={60} required />
        </label>
        <label>
          Name of this device (other guardians see it)
          <input value={guardianName} onChange={(e) => setGuardianName(e.target.value)} maxLength={60} required />
        </label>
        <div className="row">
          <label>
            Number of guardians
            <select
              value={n}
              onChange={(e) => {
                const v = Number(e.target.value);
                setN(v);
                setT(Math.min(t, v));
              }}
            >
              {[2, 3, 4, 5, 6, 7, 9].map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label>
            Needed to approve
            <select value={t} onChange={(e) => setT(Number(e.target.value))}>
              {Array.from({ length: n - 1 }, (_, i) => i + 2).map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="explain">{explainThreshold(t, n)}</p>
        <p className="muted">You are the first guardian. Next you'll invite the other {n - 1} with a QR code or a link.</p>
        {device.needsPassphrase && <PassphraseFields value={passphrase} onChange={setPassphrase} />}
        <ErrorNote text={error} />
        {busy ? (
          <Waiting label="Protecting this device and creating the wallet…" />
        ) : (
          <div className="actions">
            <button type="submit" className="primary">
              Create the wallet
            </button>
            <button type="button" className="secondary" onClick={onCancel}>
              Back
            </button>
          </div>
        )}
        <p className="fineprint">Your browser will ask for a passkey: it locks this device's share of the key.</p>
      </form>
    </main>
  );
}

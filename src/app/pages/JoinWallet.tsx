/** Join a wallet from an invite link (the invite is in the URL fragment, or pasted). */
import { useMemo, useState, type FormEvent } from 'react';
import type { Invite } from '../../net/invite.ts';
import { hasInviteInLocation } from '../../net/inviteLink.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { useDeviceReady } from '../hooks/useDeviceReady.ts';
import { joinWallet, readInvite } from '../services/onboarding.ts';
import { errorText } from '../services/errorText.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { PassphraseFields } from '../components/PassphraseFields.tsx';
import { Waiting } from '../components/Waiting.tsx';
import { explainThreshold } from './CreateWallet.tsx';

export function JoinWallet({ onJoined, onCancel }: { onJoined: (s: WalletSession) => void; onCancel: () => void }) {
  const [link, setLink] = useState(() => (hasInviteInLocation() ? location.href : ''));
  const [guardianName, setGuardianName] = useState('My phone');
  const [passphrase, setPassphrase] = useState('');
  const parsed = useMemo((): { invite?: Invite; problem?: string } => {
    if (!link) return {};
    try {
      return { invite: readInvite(link) };
    } catch (err) {
      // Its messages say what to do ("damaged — ask … for a new one", "expired. Ask … for a new one").
      return { problem: errorText(err) };
    }
  }, [link]);
  const device = useDeviceReady();
  const { run, busy, error } = useAsync(async () => {
    if (!parsed.invite) throw new Error('Paste the invite link you were sent.');
    if (device.needsPassphrase && passphrase.length < 8) throw new Error('Choose a passphrase of at least 8 characters.');
    if (!(await device.ensure(guardianName, device.needsPassphrase ? passphrase : undefined))) return;
    const session = await joinWallet(parsed.invite, guardianName.trim() || 'Guardian');
    history.replaceState(null, '', location.pathname); // the invite is used; don't keep it in the address bar
    onJoined(session);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  const inv = parsed.invite;
  return (
    <main className="page narrow">
      <h1>Join a wallet</h1>
      <form className="card form" onSubmit={submit}>
        {inv ? (
          <div className="note">
            <p>
              <strong>You're invited to be a guardian.</strong>
            </p>
            <p>{explainThreshold(inv.threshold, inv.guardians)}</p>
            <p className="muted">This invite works once and expires {new Date(inv.expiresAt).toLocaleDateString()}.</p>
          </div>
        ) : (
          <label>
            Invite link
            <input value={link} onChange={(e) => setLink(e.target.value)} placeholder="https://…/#invite=…" />
          </label>
        )}
        <ErrorNote text={parsed.problem} />
        <label>
          Name of this device (other guardians see it)
          <input value={guardianName} onChange={(e) => setGuardianName(e.target.value)} maxLength={60} required />
        </label>
        {device.needsPassphrase && <PassphraseFields value={passphrase} onChange={setPassphrase} />}
        <ErrorNote text={error} />
        {busy ? (
          <Waiting label="Protecting this device and joining…" />
        ) : (
          <div className="actions">
            <button type="submit" className="primary" disabled={!inv}>
              Join this wallet
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

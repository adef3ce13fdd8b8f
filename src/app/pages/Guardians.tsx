/** The guardians, and this device's paper backup (BIP39 words) with a check that it restores. */
import { useState } from 'react';
import { shareToBackupWords, restoreShareFromWords } from '../../device/backup.ts';
import { groupKeyOf } from '../../core/index.ts';
import { toHex, equalBytes } from '../../device/byteCodec.ts';
import { confirmWithPasskey } from '../services/device.ts';
import { errorText, type Snapshot, type WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { GuardianList } from '../components/GuardianList.tsx';

export function Guardians({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const keys = session.keys();
  const [words, setWords] = useState<string[]>();
  const [check, setCheck] = useState('');
  const [verdict, setVerdict] = useState<string>();
  const [error, setError] = useState<string>();
  if (!keys) return <p className="muted">The guardians appear here once the key exists.</p>;
  const backupParams = { walletId: snap.info.walletId, groupKey: toHex(groupKeyOf(keys.pub)), identifier: keys.key.identifier, epoch: keys.pub.epoch };
  async function show() {
    setError(undefined);
    try {
      await confirmWithPasskey();
      setWords(shareToBackupWords({ ...backupParams, share: keys!.key.signingShare }));
    } catch (err) {
      setError(`${errorText(err)}. The words stay hidden.`);
    }
  }
  function verify() {
    try {
      const holders = keys!.pub.roster.identifiers.map((id) => ({ identifier: id, verifyingShare: toHex(keys!.pub.verifyingShares[id]!) }));
      const restored = restoreShareFromWords(check, { walletId: backupParams.walletId, groupKey: backupParams.groupKey, epoch: backupParams.epoch, holders });
      const same = restored.identifier === keys!.key.identifier && equalBytes(restored.share, keys!.key.signingShare);
      restored.share.fill(0);
      setVerdict(same ? 'These words restore this device’s share. Keep them somewhere safe and offline.' : 'These words are a valid backup of another guardian’s share, not this one.');
    } catch (err) {
      setVerdict(`${errorText(err)}. Check each word against your paper.`);
    }
  }
  return (
    <section className="narrow">
      <h1>Guardians</h1>
      <article className="card">
        <p>Any {keys.pub.threshold} of these {keys.pub.roster.identifiers.length} guardians can approve. Epoch {keys.pub.epoch} on this device.</p>
        <GuardianList snap={snap} keys={snap.info.members} />
      </article>
      <article className="card">
        <h2>Refresh, add or replace a guardian</h2>
        <p className="muted">Refreshing the shares (same addresses, new epoch on chain), changing who guards the wallet, and repairing a lost device's share need the lifecycle ceremonies, which this version of the app does not run yet. Until then, a paper backup below lets a guardian restore its own share.</p>
      </article>
      <article className="card">
        <h2>Paper backup</h2>
        <p>34 words that restore this device's share (only this one — never the whole key). They stop working after a refresh.</p>
        {!words && <button type="button" className="secondary" onClick={() => void show()}>Show my backup words</button>}
        {words && (
          <ol className="words" data-testid="backup-words">
            {words.map((w, i) => <li key={i}>{w}</li>)}
          </ol>
        )}
        <ErrorNote text={error} />
        <label className="form">
          Check a backup: type or paste the words
          <textarea rows={3} value={check} onChange={(e) => setCheck(e.target.value)} aria-label="Backup words to check" />
        </label>
        <button type="button" className="secondary" onClick={verify} disabled={!check.trim()}>Check the words</button>
        {verdict && <p className="status" data-testid="backup-verdict">{verdict}</p>}
      </article>
    </section>
  );
}

/**
 * On a device that joined with an invite and holds no share yet: type a lost guardian's paper
 * backup so this device can take that guardian's place in the next change of guardians. The words
 * are checked against the wallet (the facade's `restoreBackup`), then cleared from the screen; the
 * share is kept locked on this device and never shown again.
 */
import { useState } from 'react';
import { CairnError } from '../../core/errors.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { errorText, sentence } from '../services/errorText.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { Waiting } from './Waiting.tsx';

export function RestoreBackup({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const [words, setWords] = useState('');
  const [problem, setProblem] = useState<string>();
  const name = (k: string) => snap.info.names[k] ?? 'a guardian';
  const restored = session.guardian.restoredBackups().filter((r) => r.device === snap.self);
  const restore = useAsync(async () => {
    setProblem(undefined);
    try {
      await session.guardian.restoreBackup(words);
      setWords(''); // the words leave the screen once they are safely stored
    } catch (err) {
      setProblem(plain(err)); // a wrong word's message names it and suggests the right one
    }
  });
  return (
    <article className="card" data-testid="restore-backup">
      <h2>Restore a paper backup</h2>
      {restored.map((r) => (
        <p key={r.lost} className="status" data-testid="restore-result">
          This is {name(r.lost)}'s backup. It is now locked on this device. A guardian can now open “Change who guards the wallet” and let this device take{' '}
          {name(r.lost)}'s place.
        </p>
      ))}
      <p className="muted">
        Was a guardian's device lost? If you have its 34 backup words, type them here. This device can then stand in for it when the guardians who are left
        choose new guardians, so the wallet is not lost.
      </p>
      <label className="form">
        Backup words to restore (the 34 words, in order)
        <textarea rows={4} value={words} onChange={(e) => setWords(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      {restore.busy ? (
        <Waiting label="Checking the words…" />
      ) : (
        <button type="button" className="primary" onClick={() => void restore.run()} disabled={!words.trim()}>
          Restore the backup
        </button>
      )}
      <ErrorNote text={problem} />
    </article>
  );
}

/** The backup codec's refusals, in words without protocol terms where it has them. */
function plain(err: unknown): string {
  const code = err instanceof CairnError ? err.code : undefined;
  if (code === 'WRONG_EPOCH')
    return 'These words are older or newer than the shares the guardians use now (they were renewed since): this backup no longer works here.';
  if (code === 'WRONG_WALLET') return 'These words are the backup of another wallet, not this one.';
  if (code === 'NOT_FOUND') return "These words don't belong to any of this wallet's guardians.";
  if (code === 'BAD_SHARE') return "These words don't match the guardian they name. Check each word against the paper.";
  return sentence(errorText(err));
}

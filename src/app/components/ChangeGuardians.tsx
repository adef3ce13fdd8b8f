/** Remove guardians or change how many must approve (reshare: same key, same addresses). */
import { useState } from 'react';
import { useAsync } from '../hooks/useAsync.ts';
import { reshareGuardians } from '../services/refreshShares.ts';
import type { Snapshot, WalletSession } from '../services/walletSession.ts';
import { explainThreshold } from '../pages/CreateWallet.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { Waiting } from './Waiting.tsx';

export function ChangeGuardians({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const members = snap.info.members;
  const [keep, setKeep] = useState<string[]>(members);
  const [t, setT] = useState(snap.info.threshold);
  const [step, setStep] = useState<string>();
  const [done, setDone] = useState<string>();
  const kept = members.filter((k) => keep.includes(k));
  const change = useAsync(async () => {
    setDone(undefined);
    try {
      const r = await reshareGuardians(session, kept, Math.min(t, kept.length), setStep);
      setDone(`Done: ${kept.length} guardians, any ${Math.min(t, kept.length)} approve (epoch ${r.epoch}${r.chainEpoch !== undefined ? `, on chain ${r.chainEpoch}` : ''}). Same addresses.`);
    } finally {
      setStep(undefined);
    }
  });
  const toggle = (k: string) => setKeep((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]));
  const unchanged = kept.length === members.length && t === snap.info.threshold;
  return (
    <article className="card">
      <h2>Change who guards the wallet</h2>
      <p className="muted">Remove a guardian (a lost or retired device) or change how many must approve. The guardians who stay get new shares of the same key; removed devices' shares stop working. Everyone who stays must be online.</p>
      <ul className="guardians">
        {members.map((k) => (
          <li key={k}>
            <label className="check">
              <input type="checkbox" checked={keep.includes(k)} disabled={k === snap.self} onChange={() => toggle(k)} aria-label={`Keep ${snap.info.names[k] ?? 'guardian'}`} />
              {snap.info.names[k] ?? 'Guardian'}{k === snap.self ? ' (this device)' : ''}
            </label>
          </li>
        ))}
      </ul>
      <label className="form">
        Needed to approve
        <select value={Math.min(t, kept.length)} onChange={(e) => setT(Number(e.target.value))} aria-label="New approvals needed">
          {Array.from({ length: Math.max(kept.length - 1, 0) }, (_, i) => i + 2).map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </label>
      {kept.length >= 2 && <p className="explain">{explainThreshold(Math.min(t, kept.length), kept.length)}</p>}
      {change.busy ? <Waiting label={step ?? 'Changing the guardians…'} /> : (
        <button type="button" className="secondary" disabled={unchanged || kept.length < 2} onClick={() => void change.run()}>Apply the change</button>
      )}
      <ErrorNote text={change.error && `${change.error}. Nothing changed; the current guardians still work.`} />
      {done && <p className="status" data-testid="reshare-done">{done}</p>}
    </article>
  );
}

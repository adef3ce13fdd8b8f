/**
 * Change who guards the wallet (reshare: same key, same addresses): remove guardians, mark a lost
 * device (it can't take part, so only the others deal), add devices that joined with an invite
 * from this page, or change how many must approve.
 */
import { useEffect, useState } from 'react';
import { inviteToFragment } from '../../net/invite.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { reshareGuardians } from '../services/refreshShares.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { explainThreshold } from '../pages/CreateWallet.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { InviteCard } from './InviteCard.tsx';
import { Waiting } from './Waiting.tsx';

export function ChangeGuardians({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const members = snap.info.members;
  const invited = session.guardian.invitedDevices();
  // Lost guardians whose paper backup a joined device restored: that device deals in their place.
  const restored = session.guardian.restoredBackups();
  const standIn = (k: string) => restored.find((r) => r.lost === k);
  const everyone = [...members, ...invited.filter((k) => !members.includes(k))];
  const [keep, setKeep] = useState<string[]>(members);
  const [lost, setLost] = useState<string[]>([]);
  const [t, setT] = useState(snap.info.threshold);
  const [step, setStep] = useState<string>();
  const [done, setDone] = useState<string>();
  const [inviteLink, setInviteLink] = useState<string>();
  // Newly joined devices are proposed as guardians.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the arrays are new on every render; their contents are the dependency
  useEffect(() => setKeep((ks) => [...new Set([...ks, ...invited.filter((k) => !members.includes(k))])]), [invited.join(','), members.join(',')]);
  const kept = everyone.filter((k) => keep.includes(k));
  const newT = Math.min(t, kept.length);
  const change = useAsync(async () => {
    setDone(undefined);
    try {
      const lostNow = lost.filter((k) => !keep.includes(k));
      const actors = lostNow.flatMap((k) => (standIn(k) ? [{ lost: k, device: standIn(k)!.device }] : []));
      const r = await reshareGuardians(session, kept, newT, setStep, lostNow, actors);
      setDone(
        `Done: ${kept.length} guardians, any ${newT} approve (share set ${r.epoch}${r.chainEpoch !== undefined ? `, on chain ${r.chainEpoch}` : ''}). Same addresses.`,
      );
      setInviteLink(undefined);
    } finally {
      setStep(undefined);
    }
  });
  const invite = useAsync(async () => setInviteLink(`${location.origin}/${inviteToFragment(await session.guardian.inviteGuardian())}`));
  const toggle = (k: string) => setKeep((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]));
  const toggleLost = (k: string) => setLost((ls) => (ls.includes(k) ? ls.filter((x) => x !== k) : [...ls, k]));
  const unchanged = kept.length === members.length && kept.every((k) => members.includes(k)) && newT === snap.info.threshold;
  const name = (k: string) => snap.info.names[k] ?? (members.includes(k) ? 'Guardian' : 'New device');
  return (
    <article className="card">
      <h2>Change who guards the wallet</h2>
      <p className="muted">
        Add a device, remove one (retired or lost), or change how many must approve. The guardians get new shares of the same key; removed devices' shares stop
        working. {snap.info.threshold} guardians must approve the change first, and everyone taking part must be online.
      </p>
      <ul className="guardians">
        {everyone.map((k) => (
          <li key={k}>
            <label className="check">
              <input type="checkbox" checked={keep.includes(k)} disabled={k === snap.self} onChange={() => toggle(k)} />
              Keep {name(k)}
              {k === snap.self ? ' (this device)' : ''}
              {members.includes(k) ? '' : ' — joined, not a guardian yet'}
            </label>
            {members.includes(k) && !keep.includes(k) && (
              <label className="check lost">
                <input type="checkbox" checked={lost.includes(k)} onChange={() => toggleLost(k)} /> {name(k)} is lost
              </label>
            )}
            {members.includes(k) && !keep.includes(k) && lost.includes(k) && standIn(k) && (
              <span className="standin" data-testid="backup-stand-in">
                backup restored on {name(standIn(k)!.device)} — it can stand in for {name(k)} in this change
              </span>
            )}
          </li>
        ))}
      </ul>
      <label className="form">
        Needed to approve
        <select value={newT} onChange={(e) => setT(Number(e.target.value))}>
          {Array.from({ length: Math.max(kept.length - 1, 0) }, (_, i) => i + 2).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      {kept.length >= 2 && <p className="explain">{explainThreshold(newT, kept.length)}</p>}
      {change.busy ? (
        <Waiting label={step ?? 'Changing the guardians…'} />
      ) : (
        <div className="actions">
          <button type="button" className="primary" disabled={unchanged || kept.length < 2} onClick={() => void change.run()}>
            Apply the change
          </button>
          <button type="button" className="secondary" onClick={() => void invite.run()}>
            Invite a new device
          </button>
        </div>
      )}
      {inviteLink && <InviteCard link={inviteLink} index={everyone.length - 1} used={false} />}
      <ErrorNote text={invite.error} />
      <ErrorNote text={change.error && `${change.error}. Nothing changed; the current guardians still work.`} />
      {done && (
        <p className="status" data-testid="reshare-done">
          {done}
        </p>
      )}
    </article>
  );
}

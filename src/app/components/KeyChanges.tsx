/**
 * Key changes waiting for the guardians (refresh, add / remove a guardian, change how many must
 * approve): each decoded in plain words, with Approve and Deny (Withdraw for the proposer). Nothing
 * changes on any device until enough guardians approved that exact proposal.
 */
import { useState } from 'react';
import type { PublicPackage } from '../../core/index.ts';
import { toHex } from '../../device/byteCodec.ts';
import { invitersOf } from '../../protocol/guardianInvite.ts';
import { describeKeyChange } from '../services/describeKeyChange.ts';
import { policyFor } from '../services/policyService.ts';
import { errorText } from '../services/errorText.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { Waiting } from './Waiting.tsx';

/** `pub`: the epoch the proposals change (a joining device passes the package its inviter published). */
export function KeyChanges({ session, snap, pub }: { session: WalletSession; snap: Snapshot; pub: PublicPackage | undefined }) {
  const [error, setError] = useState<string>();
  const log = session.guardian.log();
  if (!pub || !log) return null;
  const statuses = session.guardian.keyChanges();
  if (!statuses.length) return null;
  const inviters = invitersOf(log.entries(), pub);
  const name = (k: string) => (k === snap.self ? 'this device' : (snap.info.names[k] ?? (snap.info.members.includes(k) ? 'A guardian' : 'A new device')));
  const act = (fn: () => void) => {
    setError(undefined);
    try {
      fn();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <article className="card" aria-labelledby="key-changes-title">
      <h2 id="key-changes-title">Changes waiting for the guardians</h2>
      <p className="muted">
        A change to the guardians or their shares happens only after {pub.threshold} guardians approve it. Check who proposed it and what it does.
      </p>
      <ul className="key-changes">
        {statuses.map((s) => {
          const v = describeKeyChange(s, pub, name, inviters);
          const mine = s.proposer === snap.self;
          // Holders vote; so does a device standing in for a lost guardian from its paper backup (as that guardian).
          const standsInFor = s.proposal.kind === 'reshare' ? s.proposal.actors?.find((x) => x.device === snap.self)?.lost : undefined;
          const canVote = pub.roster.deviceKeys.some((k) => toHex(k) === snap.self) || standsInFor !== undefined;
          const as = standsInFor ?? snap.self;
          const voted = !canVote || s.approvers.includes(as) || s.denials.has(as);
          const hold = !voted && v.open ? policyFor(session).keyChangeHold(s) : undefined;
          const running = snap.keyChangeProgress?.id === s.id ? snap.keyChangeProgress : undefined;
          return (
            <li key={s.id} data-testid="key-change">
              <p>
                <strong>{v.summary}</strong>
              </p>
              <p className="muted">Who must approve: {v.quorum}</p>
              {v.warning && (
                <p className="warning" role="alert">
                  {v.warning}
                </p>
              )}
              {running ? (
                <Waiting label={`Making the new shares: step ${running.round} of ${running.rounds}`} />
              ) : (
                <p className="status" data-testid="key-change-progress">
                  {v.progress}
                </p>
              )}
              {[...s.denials].map(([k, reason]) => (
                <p key={k} className="muted">
                  {name(k)} said no: {reason}
                </p>
              ))}
              {v.open && (
                <div className="actions">
                  {hold && <p className="warning">{hold.message}</p>}
                  {!mine && !voted && !hold && (
                    <button type="button" className="primary" onClick={() => act(() => session.guardian.approveKeyChange(s.id))}>
                      Approve
                    </button>
                  )}
                  {!mine && !voted && (
                    <button type="button" className="secondary" onClick={() => act(() => session.guardian.denyKeyChange(s.id, 'Denied by this guardian'))}>
                      Deny
                    </button>
                  )}
                  {mine && (
                    <button type="button" className="secondary" onClick={() => act(() => session.guardian.denyKeyChange(s.id, 'Withdrawn'))}>
                      Withdraw
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorNote text={error} />
    </article>
  );
}

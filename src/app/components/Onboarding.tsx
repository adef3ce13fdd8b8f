/** Until the wallet is ready: invites, who joined, the key being made, the on-chain setup. */
import { inviteLinks } from '../services/onboarding.ts';
import { setUpOnChain } from '../services/onChainSetup.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { GuardianList } from './GuardianList.tsx';
import { InviteCard } from './InviteCard.tsx';
import { KeyChanges } from './KeyChanges.tsx';
import { RestoreBackup } from './RestoreBackup.tsx';
import { toHex } from '../../device/byteCodec.ts';
import { Waiting } from './Waiting.tsx';

export function Onboarding({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const isCreator = snap.self === snap.info.creator;
  // Sealed in the share store by the facade: the same links after a reload; `used` from the joins in the log.
  const links = isCreator ? inviteLinks(session) : [];
  const members = snap.members.length ? snap.members : [snap.info.creator];
  const joined = members.length;
  const n = snap.info.guardians;
  const joining = snap.phase !== 'ready' ? session.guardian.joiningWallet() : undefined;
  if (joining) {
    // Joined an existing wallet with an invite: a guardian makes this device one by changing the guardians.
    return (
      <section className="narrow">
        <h1>Joining {snap.info.name || 'the wallet'}</h1>
        <article className="card">
          <p>
            <strong>This device has joined, but it is not a guardian yet.</strong>
          </p>
          <p className="muted">
            A guardian adds it on their Guardians page, under “Change who guards the wallet”. Have Cairn open on this device when they do: it takes part in the
            change. (Closing or reloading the page meanwhile is fine — unlock it again.)
          </p>
          <h3>The wallet's guardians now</h3>
          <GuardianList snap={snap} keys={joining.roster.deviceKeys.map(toHex)} />
        </article>
        <KeyChanges session={session} snap={snap} pub={joining} />
        <RestoreBackup session={session} snap={snap} />
      </section>
    );
  }
  return (
    <section>
      <h1>Setting up {snap.info.name || 'the wallet'}</h1>
      <ol className="steps">
        <li className={joined >= n ? 'done' : 'now'}>
          <strong data-testid="joined-count">
            {joined} of {n} guardians have joined
          </strong>
          <GuardianList snap={snap} keys={members} />
        </li>
        <li className={snap.phase === 'ready' ? 'done' : snap.phase === 'keygen' ? 'now' : ''}>
          <strong>Create the key together</strong>
          {snap.phase === 'keygen' && snap.keygen && <Waiting label={`Creating the key together — step ${snap.keygen.round} of ${snap.keygen.rounds}`} />}
          {snap.phase === 'gathering' && <p className="muted">Starts by itself when everyone has joined. Keep this page open.</p>}
          {snap.phase === 'ready' && <p className="muted">Done: each device holds one share; no device holds the key.</p>}
        </li>
        <li className={snap.info.vault ? 'done' : snap.phase === 'ready' ? 'now' : ''}>
          <strong>Register the wallet and deploy its vault</strong>
          {snap.busy && <Waiting label={snap.busy} />}
          {snap.phase === 'ready' && !snap.busy && !snap.info.vault && !isCreator && <Waiting label="Waiting for the wallet's creator to put it on chain…" />}
        </li>
      </ol>
      <ErrorNote text={snap.problem} />
      {snap.problem && isCreator && snap.phase === 'gathering' && joined >= n && (
        <button type="button" className="primary" onClick={() => session.retryKeyCreation()}>
          Start creating the key again
        </button>
      )}
      {snap.problem && isCreator && snap.phase === 'ready' && !snap.info.vault && (
        <button type="button" className="primary" onClick={() => void setUpOnChain(session)}>
          Try the on-chain setup again
        </button>
      )}
      {isCreator && snap.phase === 'gathering' && (
        <div className="invites">
          {links.map((l, i) => (
            <InviteCard key={l.link} link={l.link} index={i} used={l.used} />
          ))}
        </div>
      )}
    </section>
  );
}

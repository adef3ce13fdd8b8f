/** Every request, decoded; approve with the passkey or deny with a reason. Denials are visible to all. */
import { useState } from 'react';
import { confirmWithPasskey } from '../services/device.ts';
import { describeRequest } from '../services/describeRequest.ts';
import { errorText } from '../services/errorText.ts';
import type { RequestState, Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { RequestProgress } from '../components/RequestProgress.tsx';
import { policyFor } from '../services/policyService.ts';
import { PolicyHoldNote } from './PolicyHold.tsx';
import { isBookkeeping } from '../services/registryCall.ts';
import { loadSettings } from '../services/settings.ts';

export function Requests({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  // Registry bookkeeping (registration, epoch changes) is co-signed automatically and shown in Activity.
  const registry = loadSettings().chain?.registry;
  const payments = snap.requests.filter((r) => !isBookkeeping(r.request, registry));
  return (
    <section className="narrow">
      <h1>Requests</h1>
      {payments.length === 0 && <p className="muted">No requests yet. When a guardian asks to send something, it appears here for you to check and approve.</p>}
      {payments.map((r) => <RequestCard key={r.id} r={r} session={session} snap={snap} />)}
    </section>
  );
}

function RequestCard({ r, session, snap }: { r: RequestState; session: WalletSession; snap: Snapshot }) {
  const [reason, setReason] = useState('');
  const [denying, setDenying] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const d = describeRequest(r.request);
  const name = (k: string) => snap.info.names[k] ?? 'a guardian';
  const mine = r.requester === snap.self;
  const decided = r.approvers.includes(snap.self) || r.denials.some(([a]) => a === snap.self);
  const open = r.status === 'waiting' && !decided;
  async function approve() {
    setBusy(true);
    setError(undefined);
    try {
      await confirmWithPasskey();
      await policyFor(session).approveOrHold(r.id); // held (not signed) if this guardian's rules say so
    } catch (err) {
      setError(`${errorText(err)}. Nothing was signed; try again.`);
    } finally {
      setBusy(false);
    }
  }
  function deny() {
    try {
      session.guardian.deny(r.id, reason.trim() || 'No reason given');
      setDenying(false);
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <article className="card request" data-testid="request">
      <h2>{d.title}</h2>
      <p className="muted">Asked by {mine ? 'you' : name(r.requester)} · {new Date(r.at).toLocaleString()}</p>
      <dl className="fields">
        {d.lines.map(([k, v]) => (
          <div key={k}><dt>{k}</dt><dd><code>{v}</code></dd></div>
        ))}
      </dl>
      <RequestProgress r={r} />
      <PolicyHoldNote session={session} requestId={r.id} />
      {r.approvers.length > 0 && <p className="muted">Approved by {r.approvers.map((k) => (k === snap.self ? 'you' : name(k))).join(', ')}</p>}
      {r.denials.map(([k, why]) => (
        <p key={k} className="denial" data-testid="denial">Denied by {k === snap.self ? 'you' : name(k)}: “{why}”</p>
      ))}
      {r.txHash && <p>Transaction: <code>{r.txHash}</code></p>}
      <ErrorNote text={error} />
      {open && !denying && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void approve()}>Approve</button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setDenying(true)}>Deny</button>
        </div>
      )}
      {open && denying && (
        <div className="form">
          <label>
            Why are you denying it? (all guardians see this)
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} aria-label="Reason" />
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={deny}>Deny the request</button>
            <button type="button" className="secondary" onClick={() => setDenying(false)}>Back</button>
          </div>
        </div>
      )}
    </article>
  );
}

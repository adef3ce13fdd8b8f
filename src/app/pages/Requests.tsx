/**
 * Every request, decoded; approve with the passkey or deny with a reason. Denials, holds (another
 * guardian's rules keeping its approval back) and how a request ended are visible to all; the person
 * who asked can withdraw it; an ended request has no buttons (docs/invariants.md, invariant 8: this
 * device's own rules are shown before its person approves).
 */
import { useState } from 'react';
import { useTokenInfo } from '../hooks/useTokenInfo.ts';
import { confirmWithPasskey } from '../services/device.ts';
import { describeRequest, paidBefore } from '../services/describeRequest.ts';
import { errorText, sentence } from '../services/errorText.ts';
import type { RequestState, Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ExplorerLink } from '../components/ExplorerLink.tsx';
import { RequestFields } from '../components/RequestFields.tsx';
import { RequestProgress } from '../components/RequestProgress.tsx';
import { Waiting } from '../components/Waiting.tsx';
import { holdText, holdTextFor, policyFor } from '../services/policyService.ts';
import { PolicyHoldNote } from './PolicyHold.tsx';
import { isBookkeeping } from '../services/registryCall.ts';
import { loadSettings } from '../services/settings.ts';
import { retryEoaTransaction } from '../services/sendFromEoa.ts';
import { retryVaultPayment } from '../services/sendPayment.ts';

export function Requests({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  // Registry bookkeeping (registration, epoch changes) is co-signed automatically and shown in Activity.
  const registry = loadSettings().chain?.registry;
  const payments = snap.requests.filter((r) => !isBookkeeping(r.request, registry));
  const known = paidBefore(snap.requests);
  return (
    <section className="narrow">
      <h1>Requests</h1>
      {payments.length === 0 && <p className="muted">No requests yet. When a guardian asks to send something, it appears here for you to check and approve.</p>}
      {payments.map((r) => (
        <RequestCard key={r.id} r={r} session={session} snap={snap} known={known} />
      ))}
    </section>
  );
}

function RequestCard({
  r,
  session,
  snap,
  known,
}: {
  r: RequestState;
  session: WalletSession;
  snap: Snapshot;
  /** Whether this wallet paid or called an address before, in a request other than the given one. */
  known: ReturnType<typeof paidBefore>;
}) {
  const [reason, setReason] = useState('');
  const [denying, setDenying] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const d = describeRequest(r.request, {
    knownRecipient: known(r.id),
    chainId: loadSettings().chain?.chainId,
    requesterAbi: r.requesterAbi,
    registry: loadSettings().chain?.registry,
  });
  useTokenInfo(d.tokens); // token amounts in the token's own units once read from the chain (re-renders this card)
  const name = (k: string) => snap.info.names[k] ?? 'a guardian';
  const mine = r.requester === snap.self;
  const decided = r.approvers.includes(snap.self) || r.denials.some(([a]) => a === snap.self);
  const open = r.status === 'waiting' && !decided;
  const withdrawable = mine && (r.status === 'waiting' || r.status === 'signing');
  const own = policyFor(session);
  // Shown before the person approves: what this guardian's own rules will do with it.
  const verdict = open && !own.hold(r.id) ? own.check(r.request, r.id) : undefined;
  const warning = verdict && !verdict.allow ? verdict : undefined;
  async function approve(unknownData = false) {
    setBusy(true);
    setError(undefined);
    try {
      await confirmWithPasskey();
      // Held (not signed) if this guardian's rules say so; unknown data only when chosen on purpose.
      await (unknownData ? own.approveUnknownData(r.id) : own.approveOrHold(r.id));
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
  // Any guardian may end a request whose sending failed: close it, or ask the guardians again (a new request).
  function close() {
    try {
      session.guardian.closeFailed(r.id, 'closed');
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function retry() {
    setBusy(true);
    setError(undefined);
    try {
      await (r.request.type === 'eoa-transaction' ? retryEoaTransaction : retryVaultPayment)(session, r, () => undefined);
    } catch (err) {
      setError(sentence(errorText(err)));
    } finally {
      setBusy(false);
    }
  }
  function withdraw() {
    try {
      session.guardian.withdraw(r.id);
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <article className="card request" data-testid="request">
      <h2>{d.title}</h2>
      <p className="muted">
        Asked by {mine ? 'you' : name(r.requester)} · {new Date(r.at).toLocaleString()}
      </p>
      <RequestFields d={d} open={r.status === 'waiting' || r.status === 'signing'} />
      <RequestProgress r={r} />
      {r.status === 'waiting' && <p className="muted">Open for approval until {new Date(r.expiresAt).toLocaleString()}</p>}
      {r.status === 'failed' && r.culprits.length > 0 && (
        <p className="denial" data-testid="culprits">
          Not answered in time, or answered wrongly, by {r.culprits.map((k) => (k === snap.self ? 'this device' : name(k))).join(', ')}
        </p>
      )}
      <PolicyHoldNote session={session} requestId={r.id} />
      {(r.status === 'waiting' || r.status === 'signing') &&
        r.holds
          .filter((h) => h.guardian !== snap.self)
          .map((h) => (
            <p key={h.guardian} className="hold warning" data-testid="held-by">
              {holdTextFor(name(h.guardian), h)}
            </p>
          ))}
      {r.approvers.length > 0 && <p className="muted">Approved by {r.approvers.map((k) => (k === snap.self ? 'you' : name(k))).join(', ')}</p>}
      {r.denials
        .filter(([k]) => !(r.status === 'withdrawn' && k === r.requester))
        .map(([k, why]) => (
          <p key={k} className="denial" data-testid="denial">
            Denied by {k === snap.self ? 'you' : name(k)}: “{why}”
          </p>
        ))}
      {r.txHash && (
        <p>
          Transaction: <code>{r.txHash}</code>{' '}
          <ExplorerLink kind="tx" value={r.txHash}>
            See it in the block explorer
          </ExplorerLink>
        </p>
      )}
      {r.closed && (
        <p className="muted" data-testid="closed-by">
          {r.closed.how === 'retried' ? 'Asked again as a new request' : 'Closed'} by {r.closed.by === snap.self ? 'you' : name(r.closed.by)}
        </p>
      )}
      {r.submissionFailed && !r.closed && (
        <div className="actions">
          {(r.request.type === 'vault-user-operation' || r.request.type === 'eoa-transaction') && (
            <button type="button" className="primary" disabled={busy} onClick={() => void retry()}>
              Retry (ask the guardians again)
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={close}>
            Close it
          </button>
        </div>
      )}
      {busy && r.submissionFailed && <Waiting label="Asking the guardians again; the new request is at the top of this page…" />}
      <ErrorNote text={error} />
      {open && !denying && warning && (
        <p className="hold warning" role="note" data-testid="policy-warning">
          Before you approve: {holdText(warning)}
        </p>
      )}
      {open && !denying && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void approve()}>
            Approve
          </button>
          {warning?.rule === 'unknownData' && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void approve(true)}>
              Sign unknown data
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={() => setDenying(true)}>
            Deny
          </button>
        </div>
      )}
      {withdrawable && (
        <div className="actions">
          <button type="button" className="secondary" onClick={withdraw}>
            Withdraw this request
          </button>
        </div>
      )}
      {open && denying && (
        <div className="form">
          <label>
            Why are you denying it? (all guardians see this)
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={deny}>
              Deny the request
            </button>
            <button type="button" className="secondary" onClick={() => setDenying(false)}>
              Back
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

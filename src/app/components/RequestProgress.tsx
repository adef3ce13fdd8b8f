import { WITHDRAWN_BY_REQUESTER } from '../../protocol/requestLifecycle.ts';
import type { RequestState } from '../services/sessionSnapshot.ts';
import { Waiting } from './Waiting.tsx';

/** Where a request stands: approvals so far, the signing round, sent, or how it ended and why. */
export function requestProgressText(r: RequestState): string {
  switch (r.status) {
    case 'waiting':
      return `${Math.min(r.approvers.length, r.needed)} of ${r.needed} approvals`;
    case 'signing':
      if (r.progress?.stage === 'setup')
        return `Setting up these guardians to sign for the plain address, step ${r.progress.round} of ${r.progress.rounds} (up to a minute; needed before the first payment, and again after each renewal of the shares)`;
      // The round's protocol name ("nonce commitments") means nothing to a person: the count is enough.
      return r.progress ? `Signing, round ${r.progress.round} of ${r.progress.rounds}` : 'Signing…';
    case 'signed':
      return 'Signed; sending the transaction…';
    case 'sent':
      return 'Sent';
    case 'denied':
      return `Denied: ${r.endReason ?? 'too many guardians denied it'}`;
    case 'withdrawn':
      return r.endReason && r.endReason !== WITHDRAWN_BY_REQUESTER ? `Withdrawn by the person who asked: “${r.endReason}”` : WITHDRAWN_BY_REQUESTER;
    case 'expired':
      return `Expired: ${r.endReason ?? 'not approved in time'}`;
    case 'failed':
      // A failed submission's reason is a whole sentence ("The guardians signed it, but sending it failed: …").
      return r.submissionFailed && r.endReason ? r.endReason : `Failed: ${r.endReason ?? 'it could not be signed'}`;
  }
}

/** Ended for good (sent, or closed without a signature): nothing more will happen to it. */
export const isFinished = (r: Pick<RequestState, 'status'>): boolean => r.status !== 'waiting' && r.status !== 'signing' && r.status !== 'signed';

export function RequestProgress({ r }: { r: RequestState }) {
  const text = requestProgressText(r);
  if (isFinished(r))
    return (
      <p className={r.status === 'sent' ? 'status' : 'status ended'} data-testid="request-status" data-state={r.status}>
        {text}
      </p>
    );
  return (
    <div data-testid="request-status">
      <Waiting label={text} />
    </div>
  );
}

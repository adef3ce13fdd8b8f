import type { RequestState } from '../services/sessionSnapshot.ts';
import { Waiting } from './Waiting.tsx';

/** Where a request stands: approvals so far, the signing round, or sent. */
export function requestProgressText(r: RequestState): string {
  switch (r.status) {
    case 'waiting':
      return `${Math.min(r.approvers.length, r.needed)} of ${r.needed} approvals`;
    case 'signing':
      if (r.progress?.stage === 'setup') return `First payment from this address with these guardians: setting them up for it, step ${r.progress.round} of ${r.progress.rounds} (up to a minute, only this once)`;
      return r.progress ? `Signing, round ${r.progress.round} of ${r.progress.rounds}${r.progress.label ? ` (${r.progress.label})` : ''}` : 'Signing…';
    case 'signed':
      return 'Signed; sending the transaction…';
    case 'sent':
      return 'Sent';
    case 'denied':
      return 'Denied by too many guardians; it cannot be signed';
  }
}

export function RequestProgress({ r }: { r: RequestState }) {
  const text = requestProgressText(r);
  if (r.status === 'sent' || r.status === 'denied') return <p className="status" data-testid="request-status">{text}</p>;
  return <div data-testid="request-status"><Waiting label={text} /></div>;
}

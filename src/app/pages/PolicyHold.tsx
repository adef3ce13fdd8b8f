/**
 * On a request card: this guardian's rules hold its approval ("Held by your daily limit of 1 ETH:
 * … — it can go through tomorrow at 09:14"). Shown only on this device; the approval is given by
 * itself once the rules pass, unless the other guardians complete the request first.
 */
import { useSyncExternalStore } from 'react';
import { holdText, policyFor } from '../services/policyService.ts';
import type { WalletSession } from '../services/walletSession.ts';

export function PolicyHoldNote({ session, requestId }: { session: WalletSession; requestId: string }) {
  const service = policyFor(session);
  useSyncExternalStore(service.subscribe, service.getVersion);
  const hold = service.hold(requestId);
  if (!hold) return null;
  return (
    <p className="hold" role="status" data-testid="policy-hold">
      {holdText(hold)}
    </p>
  );
}

/**
 * Wallet bookkeeping on chain: the creator's registration and a refresh's epoch advance. Every
 * guardian checks such a request field by field (approvalCheck) and co-signs without a click.
 * It may arrive before this device's DKG or refresh finished, so the session runs this again then.
 */
import { toHex } from '../../device/byteCodec.ts';
import type { Guardian } from '../../protocol/guardian.ts';
import { errorText } from './errorText.ts';
import { registryCallOf } from './registryCall.ts';
import { loadSettings } from './settings.ts';

const BACKUP_APPROVAL_MS = 15_000;

export type CoSignRegistryRequestsParameters = {
  guardian: Guardian;
  /** The wallet creator's device key: only its registration request is co-signed. */
  creator: string;
  self: string;
  /** Requests this device already set a backup approval for (kept by the caller across runs). */
  backupApprovals: Set<string>;
  /** Whether the request's transaction was already sent (done without this device). */
  sent: (requestId: string) => boolean;
  onError: (message: string) => void;
};

export function coSignRegistryRequests({ guardian, creator, self, backupApprovals, sent, onError }: CoSignRegistryRequestsParameters): void {
  const pub = guardian.wallet()?.pub;
  if (!pub) return;
  for (const r of guardian.requests()) {
    // The registry request itself, or the vault's user operation that carries it (registryCall.ts).
    const q = registryCallOf(r.request, loadSettings().chain?.registry) ?? r.request;
    const onboarding = q.type === 'registry-register' && r.requester === creator;
    const epochAdvance = q.type === 'registry-advance-epoch' && q.epoch + 1n === BigInt(r.epoch);
    if (!(onboarding || epochAdvance) || r.requester === self || r.result) continue;
    if (r.approvers.includes(self) || r.epoch !== guardian.wallet()!.pub.epoch) continue;
    // Exactly t approvals (the requester's and those of the t−1 guardians after it in key order):
    // with more, devices that see them in different log orders pick different quorums and stall.
    const others = pub.roster.deviceKeys
      .map(toHex)
      .filter((k) => k !== r.requester)
      .sort();
    const designated = others.slice(0, pub.threshold - 1).includes(self);
    const approve = () => {
      const now = guardian.requests().find((x) => x.requestId === r.requestId);
      if (!now || now.result || now.approvers.includes(self)) return;
      if (sent(r.requestId)) return; // done without us
      void guardian
        .approve(r.requestId)
        .catch((err) => onError(`Did not co-sign the ${q.type === 'registry-register' ? 'registration' : 'new shares on chain'}: ${errorText(err)}`));
    };
    if (designated) approve();
    else if (!backupApprovals.has(r.requestId)) {
      backupApprovals.add(r.requestId);
      setTimeout(approve, BACKUP_APPROVAL_MS); // a designated guardian is offline: step in
    }
  }
}

/** What React sees of an open wallet: one immutable snapshot, rebuilt from the facade and the log on every change. */
import type { AbiFunction, Hex } from 'viem';
import type { SigningRequest } from '../../core/index.ts';
import type { LogEntry } from '../../net/requestLog.ts';
import type { Guardian } from '../../protocol/guardian.ts';
import { holdsOf, receiptsOf } from './appLogEntries.ts';
import { requesterAbisOf } from './requesterAbi.ts';
import type { WalletInfo } from './walletInfo.ts';

/** `stage: 'setup'` is a pair of guardians' one-time threshold-ECDSA setup before their first EOA signature. */
export type Progress = { stage?: 'setup' | 'signing'; round: number; rounds: number; label?: string };

export type RequestState = {
  id: string;
  requester: string;
  at: number;
  epoch: number;
  request: SigningRequest;
  approvers: readonly string[];
  denials: readonly (readonly [string, string])[];
  needed: number;
  /** Open (`waiting`, `signing`), done (`signed`, `sent`) or ended without a signature (the facade's lifecycle). */
  status: 'waiting' | 'signing' | 'signed' | 'sent' | 'denied' | 'withdrawn' | 'expired' | 'failed';
  /** Why it ended (from the log, the same on every device). */
  endReason?: string;
  /** Guardians named by reports for this request's failed runs. */
  culprits: readonly string[];
  expiresAt: number;
  progress?: Progress;
  txHash?: Hex;
  /** Signed, but sending it failed (`endReason` says why): any guardian may close or retry it until `closed`. */
  submissionFailed?: boolean;
  closed?: { by: string; how: 'closed' | 'retried' };
  /** Approvers held back by their own rules (from their `hold` entries), with the text of the hold. */
  holds: readonly HeldApproval[];
  /** The function the requester says it called, for a call made with an ABI it pasted (`requesterAbi.ts`). */
  requesterAbi?: AbiFunction;
};

/** One guardian's approval held by its rules, as it published it for everyone. */
export type HeldApproval = { guardian: string; rule: string; reason: string; retryAt?: number };

/** What this device knows of a request's signing run beyond the log (from the facade's events). */
export type RequestMeta = { progress?: Progress; status?: RequestState['status'] };

export type Snapshot = {
  info: WalletInfo;
  self: string;
  phase: 'gathering' | 'keygen' | 'ready';
  /** Pending roster during onboarding (creator first). */
  members: readonly string[];
  keygen?: Progress;
  problem?: string;
  /** A reshare removed this device: its share is gone. */
  left?: boolean;
  /** Something slow in progress (on-chain setup, refresh), or undefined. */
  busy?: string;
  epoch: number;
  requests: RequestState[];
  entries: LogEntry[];
  /** Device key → time of its latest signed presence in the room (ms; net/presence.ts). */
  seen: Record<string, number>;
  /** Guardians' devices connected to this one right now (WebRTC room peers). */
  peers: number;
  /** This device reaches a signaling server right now. */
  connected: boolean;
  /** The key change (refresh / reshare proposal) running on this device now, and its round. */
  keyChangeProgress?: { id: string; round: number; rounds: number };
};

export type BuildSnapshotParameters = {
  previous: Snapshot;
  patch: Partial<Snapshot>;
  info: WalletInfo;
  guardian: Guardian;
  entries: LogEntry[];
  requestMeta: ReadonlyMap<string, RequestMeta>;
  /** Session of a key creation under way on this device, if any. */
  dkgSession: string | undefined;
  /** Pending roster during onboarding. */
  members: readonly string[];
  seen: Record<string, number>;
  peers: number;
  connected: boolean;
};

export function buildSnapshot(p: BuildSnapshotParameters): Snapshot {
  const receipts = receiptsOf(p.entries);
  const holds = holdsOf(p.entries);
  const views = p.guardian.requests();
  const requesters = new Map(views.map((v) => [v.requestId, v.requester]));
  const abis = requesterAbisOf(p.entries, (id) => requesters.get(id));
  const pub = p.guardian.wallet()?.pub;
  const needed = pub?.threshold ?? p.info.threshold;
  const requests = views.map((v): RequestState => {
    const meta = p.requestMeta.get(v.requestId);
    const txHash = receipts.get(v.requestId);
    const { state } = v;
    const ended = state === 'denied' || state === 'withdrawn' || state === 'expired' || state === 'failed' ? state : undefined;
    // A failed submission ends a request the signers hold a signature for: the end wins over `signed`,
    // and over the receipt of a transaction that was mined but reverted (its hash is still shown).
    const status: RequestState['status'] = v.submissionFailed
      ? 'failed'
      : txHash
        ? 'sent'
        : (ended ?? (v.result ? 'signed' : meta?.status === 'signing' ? 'signing' : 'waiting'));
    // A hold counts while its guardian has neither approved nor denied (an approval given later lifts it).
    const held = [...(holds.get(v.requestId)?.values() ?? [])].filter((h) => !v.approvers.includes(h.guardian) && !v.denials.has(h.guardian));
    return {
      id: v.requestId,
      requester: v.requester,
      at: v.at,
      epoch: v.epoch,
      request: v.request,
      approvers: v.approvers,
      denials: [...v.denials],
      needed,
      status,
      endReason: v.reason,
      culprits: v.culprits,
      expiresAt: v.expiresAt,
      progress: meta?.progress,
      txHash,
      holds: held,
      ...(abis.has(v.requestId) ? { requesterAbi: abis.get(v.requestId) } : {}),
      ...(v.submissionFailed ? { submissionFailed: true } : {}),
      ...(v.closed ? { closed: v.closed } : {}),
    };
  });
  requests.sort((a, b) => b.at - a.at);
  const phase = pub ? 'ready' : p.dkgSession ? 'keygen' : 'gathering';
  return {
    ...p.previous,
    ...p.patch,
    info: p.info,
    phase,
    members: pub ? p.info.members : p.members,
    epoch: pub?.epoch ?? 0,
    requests,
    entries: p.entries,
    seen: p.seen,
    peers: p.peers,
    connected: p.connected,
  };
}

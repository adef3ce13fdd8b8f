/** What React sees of an open wallet: one immutable snapshot, rebuilt from the facade and the log on every change. */
import type { Hex } from 'viem';
import type { SigningRequest } from '../../core/index.ts';
import type { LogEntry } from '../../net/requestLog.ts';
import type { Guardian } from '../../protocol/guardian.ts';
import { receiptsOf } from './appLogEntries.ts';
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
  status: 'waiting' | 'signing' | 'signed' | 'sent' | 'denied';
  progress?: Progress;
  txHash?: Hex;
};

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
  const pub = p.guardian.wallet()?.pub;
  const needed = pub?.threshold ?? p.info.threshold;
  const times = new Map(p.entries.map((e) => [e.id, e.at]));
  const requests = p.guardian.requests().map((v): RequestState => {
    const meta = p.requestMeta.get(v.requestId);
    const txHash = receipts.get(v.requestId);
    const tooManyDenials = v.denials.size > p.info.guardians - needed;
    const status: RequestState['status'] = txHash ? 'sent' : v.result ? 'signed' : meta?.status === 'signing' ? 'signing' : tooManyDenials ? 'denied' : 'waiting';
    return {
      id: v.requestId, requester: v.requester, at: times.get(v.requestId) ?? 0, epoch: v.epoch, request: v.request,
      approvers: v.approvers, denials: [...v.denials], needed, status, progress: meta?.progress, txHash,
    };
  });
  requests.sort((a, b) => b.at - a.at);
  const phase = pub ? 'ready' : p.dkgSession ? 'keygen' : 'gathering';
  return {
    ...p.previous, ...p.patch, info: p.info, phase, members: pub ? p.info.members : p.members, epoch: pub?.epoch ?? 0,
    requests, entries: p.entries, seen: p.seen, peers: p.peers, connected: p.connected,
  };
}

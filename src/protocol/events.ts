/** Typed events of the protocol layer, for the UI (progress) and the audit trail (blame). */
import type { CairnErrorCode, ProtocolName } from '../core/index.ts';

export type ProtocolEvent =
  /** `requestId` is the run's request (a signing request's id; for other protocols their own id). */
  | { type: 'progress'; protocol: ProtocolName; session: string; requestId: string; round: number; rounds: number; label?: string }
  /** A message was dropped before reaching the core (forged, foreign session, wrong round, …). */
  | { type: 'rejected'; from?: string; code: CairnErrorCode; reason: string; session?: string }
  /** A guardian was blamed for an abort (also published to the log as a `blame` entry). */
  | { type: 'blame'; protocol: ProtocolName; session: string; culprits: readonly string[]; code: CairnErrorCode; reason: string; requestId: string }
  | { type: 'aborted'; protocol: ProtocolName; session: string; code: CairnErrorCode; reason: string; culprits: readonly string[] }
  | { type: 'finished'; protocol: ProtocolName; session: string };

export type EventSink = (e: ProtocolEvent) => void;

/**
 * What a protocol tells the round-runner. A descriptor knows the core calls and nothing about the
 * network; the runner knows the network and nothing about the maths. Adding a protocol (ECDSA
 * sign, vault open, …) is one small descriptor file, not a new runner.
 *
 * Shape, frost-rs style: round 1's packages come from `start()`; after round r's packages from
 * every other participant have arrived, `receive(r, packages)` returns round r+1's packages or the
 * result. Packages are keyed by the sender's FROST identifier, which the runner derives from the
 * *verified* envelope sender (docs/style.md, "ZcashFoundation/frost"), never from the payload.
 */
import type { Identifier, ProtocolName } from '../core/index.ts';

/** Broadcast rounds go to every participant in clear; direct rounds are encrypted per recipient. */
export type RoundKind = 'broadcast' | 'direct';

export type Outgoing = {
  readonly broadcast?: Uint8Array;
  /** recipient identifier → package (direct rounds). */
  readonly direct?: ReadonlyMap<Identifier, Uint8Array>;
};

export type PartyStep<R> = { readonly next: Outgoing } | { readonly result: R };

export interface ProtocolParty<R> {
  /** Round-1 packages of this device (an observer returns `{}`). */
  start(): Promise<Outgoing>;
  /** Packages of round `round` from every sender of that round this device receives from (itself excluded). */
  receive(round: number, packages: ReadonlyMap<Identifier, Uint8Array>): Promise<PartyStep<R>>;
  /** The run ended without a result: drop whatever secret state is pending (e.g. stored nonces). */
  abort?(): Promise<void>;
}

/** Who sends and who receives in one round (device keys, hex). */
export type RoundRoles = { readonly senders: readonly string[]; readonly recipients: readonly string[] };

export type ProtocolSetup<R> = {
  /** 32-byte session id (core `sessionId`): binds wallet, protocol, epoch, participants, request. */
  readonly session: Uint8Array;
  /** Device keys (hex) of every device taking part (sending in some round). */
  readonly participants: readonly string[];
  /**
   * Per round, who sends and who receives (same on every device). Default: every participant sends
   * and receives every round. A device waits in a round only if it is one of its recipients, and
   * then for every sender but itself.
   */
  readonly roles?: readonly RoundRoles[];
  /** The log request the session serves (for blame entries), may be empty. */
  readonly requestId: Uint8Array;
  readonly party: ProtocolParty<R>;
};

export interface ProtocolDescriptor<P, R> {
  readonly protocol: ProtocolName;
  /** One entry per message round. */
  readonly rounds: readonly RoundKind[];
  /** Human label per round, for progress ("commitments", "shares", …). */
  readonly roundLabels?: readonly string[];
  setup(params: P): ProtocolSetup<R>;
}

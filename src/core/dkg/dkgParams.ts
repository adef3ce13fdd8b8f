/** Shared types of the three DKG parts (PedPoP: Feldman VSS + proof of knowledge, FROST §5.1 / ZF dkg.rs). */
import { sha256 } from '@noble/hashes/sha2.js';
import { CairnError } from '../errors.ts';
import type { Point } from '../curve.ts';
import { bytesToHex } from '../encoding.ts';
import { identifierOf, makeRoster, type DeviceKey, type Identifier, type Roster } from '../identifier.ts';
import { sessionId } from '../session.ts';

export type DkgParams = {
  walletId: Uint8Array;
  /** Every guardian's device key (n of them). */
  deviceKeys: readonly DeviceKey[];
  /** This device's key (must be in `deviceKeys`). */
  self: DeviceKey;
  threshold: number;
  /** The log entry that asked for this wallet to be created. */
  requestId: Uint8Array;
};

export type DkgContext = {
  readonly params: DkgParams;
  readonly roster: Roster;
  readonly self: Identifier;
  readonly others: readonly Identifier[];
  readonly session: Uint8Array;
};

export function dkgContext(params: DkgParams): DkgContext {
  const roster = makeRoster(params.deviceKeys);
  const n = roster.identifiers.length;
  if (!Number.isInteger(params.threshold) || params.threshold < 2 || params.threshold > n)
    throw new CairnError('BAD_PARAMETERS', `Threshold must be between 2 and ${n}, not ${params.threshold}`);
  const self = identifierOf(params.self);
  if (!roster.identifiers.includes(self)) throw new CairnError('BAD_PARAMETERS', 'This device is not in the roster');
  const session = sessionId({ walletId: params.walletId, protocol: 'dkg', epoch: 0, participants: roster.deviceKeys, requestId: params.requestId });
  return { params, roster, self, others: roster.identifiers.filter((id) => id !== self), session };
}

/** Hash of one round-1 package, echoed by every recipient so equivocation is caught. */
export const packageDigest = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));

export type DkgRound1State = {
  readonly step: 'dkg-round1';
  readonly ctx: DkgContext;
  /** Secret polynomial coefficients a_0..a_{t−1}. Wiped when consumed. */
  readonly coefficients: bigint[];
  readonly commitment: readonly Point[];
  readonly ownPackage: Uint8Array;
  consumed: boolean;
};

export type DkgRound2State = {
  readonly step: 'dkg-round2';
  readonly ctx: DkgContext;
  /** f_self(self): this device's share of its own polynomial. */
  readonly ownShare: bigint;
  readonly commitments: ReadonlyMap<Identifier, readonly Point[]>;
  /** identifier → digest of the round-1 package this device received from it (and its own). */
  readonly echo: ReadonlyMap<Identifier, string>;
  consumed: boolean;
};

/** Refuses a map of packages that has strangers, duplicates of self, or missing members. */
export function checkSenders(received: ReadonlyMap<Identifier, unknown>, expected: readonly Identifier[], what: string): void {
  const unknown = [...received.keys()].filter((id) => !expected.includes(id));
  if (unknown.length) throw new CairnError('UNKNOWN_SENDER', `${what} from someone outside this session`, { culprits: unknown });
  const missing = expected.filter((id) => !received.has(id));
  if (missing.length) throw new CairnError('MISSING_PACKAGE', `${what} missing from ${missing.length} guardian(s)`, { culprits: missing });
}

export function consume(state: { consumed: boolean }, what: string): void {
  if (state.consumed) throw new CairnError('STATE_CONSUMED', `${what} was already used; start a new session`);
}

/**
 * Proactive refresh (Herzberg et al. '95; ZF keys/refresh.rs `refresh_dkg_*`): the holders taking
 * part add shares of random zero-constant polynomials, so every share changes and the group key
 * does not. Holders left out of `participants` are dropped from the roster. The threshold can't
 * change here (ZF 2.2.0, BlockSec): a refresh that names another t is refused.
 */
import { CairnError } from '../errors.ts';
import type { Point } from '../curve.ts';
import type { DeviceKey, Identifier, Roster } from '../identifier.ts';
import type { KeyPackage, PublicPackage } from '../keyPackage.ts';
import { lifecycleSession, subRoster, writeRoster } from './lifecycleSession.ts';

export type RefreshParams = {
  /** This device's current key package; its epoch is the one refreshed. */
  current: KeyPackage;
  /** Device keys of the holders taking part: at least t of the current holders. */
  participants: readonly DeviceKey[];
  /** Must equal the current threshold. */
  threshold: number;
  /** The log entry that asked for this refresh. */
  requestId: Uint8Array;
};

export type RefreshContext = {
  readonly current: KeyPackage;
  readonly previous: PublicPackage;
  readonly t: number;
  /** The new roster (= participants). */
  readonly roster: Roster;
  readonly self: Identifier;
  readonly others: readonly Identifier[];
  readonly session: Uint8Array;
};

export function refreshContext(p: RefreshParams): RefreshContext {
  const previous = p.current.public;
  const t = previous.threshold;
  if (p.threshold !== t) throw new CairnError('BAD_PARAMETERS', `A refresh keeps the threshold at ${t}; it can't change it to ${p.threshold} (use a reshare)`);
  const roster = subRoster(p.participants, previous, 'Refresh participant');
  if (roster.identifiers.length < t) throw new CairnError('BAD_PARAMETERS', `A refresh needs at least t = ${t} holders, not ${roster.identifiers.length}`);
  const self = p.current.identifier;
  if (!roster.identifiers.includes(self)) throw new CairnError('BAD_PARAMETERS', 'This device is not a refresh participant');
  const session = lifecycleSession(
    { walletId: previous.walletId, protocol: 'refresh', epoch: previous.epoch, participants: roster.deviceKeys, requestId: p.requestId },
    previous,
    (w) => void writeRoster(w.u16(t), roster),
  );
  return { current: p.current, previous, t, roster, self, others: roster.identifiers.filter((id) => id !== self), session };
}

export type RefreshRound1State = {
  readonly step: 'refresh-round1';
  readonly ctx: RefreshContext;
  /** a_1..a_{t−1} of this device's zero-constant polynomial (a_0 = 0). Wiped when consumed. */
  readonly coefficients: bigint[];
  /** a_1·G..a_{t−1}·G: exactly t−1 points (the identity for a_0 is not sent). */
  readonly commitment: readonly Point[];
  readonly ownPackage: Uint8Array;
  consumed: boolean;
};

export type RefreshRound2State = {
  readonly step: 'refresh-round2';
  readonly ctx: RefreshContext;
  /** f_self(self). */
  readonly ownShare: bigint;
  readonly commitments: ReadonlyMap<Identifier, readonly Point[]>;
  /** Digests of every round-1 package, sorted by sender (own included). */
  readonly echo: ReadonlyArray<readonly [Identifier, string]>;
  consumed: boolean;
};

/**
 * Shared plumbing of the lifecycle protocols (refresh, reshare, repair/enroll): session ids that
 * bind the roles and parameters the plain session id can't see, digests of broadcast packages for
 * the echo, and roster bookkeeping.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError, shortId } from '../errors.ts';
import { type ByteReader, ByteWriter, bytesToHex, equalBytes, hexToBytes } from '../encoding.ts';
import { MAX_GUARDIANS, identifierOf, type DeviceKey, type Identifier, type Roster } from '../identifier.ts';
import { publicPackageHash, type PublicPackage } from '../keyPackage.ts';
import { sessionId, type SessionParams } from '../session.ts';
import type { Point } from '../curve.ts';

export { checkSenders, consume } from '../dkg/dkgParams.ts';

const LIFECYCLE_DOMAIN = utf8ToBytes('cairn/lifecycle-session/v1');

/**
 * The session id of a lifecycle protocol: the ordinary session id (wallet, protocol, epoch,
 * participants, request) hashed together with what it can't express — the public package being
 * replaced, the thresholds and who plays which role. Two guardians that disagree on any of these
 * compute different sessions, so their packages are rejected (WRONG_SESSION) before being read.
 */
export function lifecycleSession(base: SessionParams, previous: PublicPackage, roles: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter().var32(LIFECYCLE_DOMAIN).bytes(sessionId(base)).bytes(publicPackageHash(previous));
  roles(w);
  return sha256(w.finish());
}

/** Writes a roster's device keys (sorted) into a session binding. */
export const writeRoster = (w: ByteWriter, roster: Roster): void => void w.list(roster.deviceKeys, (w, k) => w.bytes(k));

/** Device keys of both lists, without duplicates (for the participants of a session). */
export function unionOfKeys(a: readonly DeviceKey[], b: readonly DeviceKey[]): DeviceKey[] {
  const seen = new Map<string, DeviceKey>();
  for (const k of [...a, ...b]) seen.set(bytesToHex(k), k);
  return [...seen.values()];
}

/**
 * The roster of a subset of `of`'s holders, naming members that don't belong. Built from `of`'s
 * already-validated roster (no point decompression per key).
 */
export function subRoster(keys: readonly DeviceKey[], of: PublicPackage, what: string): Roster {
  const index = new Map(of.roster.deviceKeys.map((k, i) => [bytesToHex(k), i]));
  const picked = new Set<number>();
  const strangers: Identifier[] = [];
  for (const k of keys) {
    const i = k instanceof Uint8Array ? index.get(bytesToHex(k)) : undefined;
    if (i === undefined) strangers.push(identifierOf(k));
    else if (picked.has(i)) throw new CairnError('BAD_PARAMETERS', 'The same device appears twice in the roster');
    else picked.add(i);
  }
  if (strangers.length) throw new CairnError('UNKNOWN_SENDER', `${what}: not a guardian of this epoch`, { culprits: strangers });
  const order = [...picked].sort((a, b) => a - b); // `of`'s roster is sorted, so this is too
  return Object.freeze({
    deviceKeys: Object.freeze(order.map((i) => of.roster.deviceKeys[i]!)),
    identifiers: Object.freeze(order.map((i) => of.roster.identifiers[i]!)),
  });
}

/** The key package's public package must be exactly `expected` (same wallet, epoch, roster, commitments). */
export function assertSamePublic(actual: PublicPackage, expected: PublicPackage): void {
  if (!equalBytes(publicPackageHash(actual), publicPackageHash(expected)))
    throw new CairnError('WRONG_EPOCH', `This share is from epoch ${actual.epoch}, not from the public package of epoch ${expected.epoch} being replaced`);
}

/**
 * A new group commitment must have no identity entry: an identity top coefficient would mean a
 * polynomial of lower degree, i.e. a lower threshold than the one recorded (and identities can't be
 * encoded). Only all contributors together could cause it (probability ~2^-256 otherwise).
 */
export function assertFullCommitment(commitment: readonly Point[]): void {
  if (commitment.some((c) => c.is0()))
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'The combined commitment has an identity entry (degenerate polynomial)');
}

/** Digest of a broadcast package, echoed by its recipients so an equivocating sender is caught. */
export const broadcastDigest = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));

/** An echo: for each broadcaster (sorted), the digest of what this device received from it. */
export type Echo = ReadonlyArray<readonly [Identifier, string]>;

/**
 * Compares a peer's echo with this device's own. A different digest means the broadcaster sent
 * different packages to different guardians (or the reporter lies about it: the protocol layer
 * holds both signed envelopes and can tell which), so both are named.
 */
export function checkEcho(own: Echo, theirs: Echo, from: Identifier): void {
  if (theirs.length !== own.length || theirs.some(([id], i) => id !== own[i]![0]))
    throw new CairnError('MALFORMED', 'Echo does not list the expected broadcasters', { culprits: [from] });
  for (let i = 0; i < own.length; i++) {
    const [id, digest] = own[i]!;
    if (theirs[i]![1] === digest) continue;
    throw new CairnError('INCONSISTENT_COMMITMENTS', `Guardians saw different broadcasts from ${shortId(id)}`, {
      culprits: id === from ? [id] : [id, from],
      details: [`Reported by ${shortId(from)}`],
    });
  }
}

export const writeEcho = (w: ByteWriter, echo: Echo): void => void w.list(echo, (w, [id, digest]) => w.identifier(id).bytes(hexToBytes(digest)));

export const readEcho = (r: ByteReader): Echo => r.list((r) => [r.identifier(), bytesToHex(r.bytes(32, 'echo digest'))] as const, { max: MAX_GUARDIANS });

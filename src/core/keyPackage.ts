/**
 * What DKG (and later refresh/reshare/repair) produce. The public package is the same on every
 * device and is what guardians confirm by hash; the key package adds one device's secret share.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { FrostPublic, FrostSecret } from '@noble/curves/abstract/frost.js';
import { CairnError } from './errors.ts';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { Fn, Point } from './curve.ts';
import { ByteReader, ByteWriter, bytesToHex } from './encoding.ts';
import { identifierToScalar, makeRoster, type DeviceKey, type Identifier, type Roster } from './identifier.ts';
import { evaluateCommitment } from './polynomial.ts';

export type PublicPackage = {
  readonly walletId: Uint8Array;
  readonly epoch: number;
  readonly threshold: number;
  readonly roster: Roster;
  /** Feldman commitment to the group polynomial; `commitments[0]` is the group key. Exactly t entries. */
  readonly commitments: readonly Uint8Array[];
  /** x_i·G per roster identifier (derived from `commitments`). */
  readonly verifyingShares: Readonly<Record<Identifier, Uint8Array>>;
};

export type KeyPackage = {
  readonly identifier: Identifier;
  /** 32-byte secret share. Never logged, never sent. */
  readonly signingShare: Uint8Array;
  readonly public: PublicPackage;
};

export const groupKeyOf = (pub: PublicPackage): Uint8Array => pub.commitments[0]!;

// Public packages are frozen; remember each one's decoded group key (a square root per decode).
const groupKeyPoints = new WeakMap<PublicPackage, Point>();

/** The group key as a validated point. */
export function groupKeyPoint(pub: PublicPackage): Point {
  let point = groupKeyPoints.get(pub);
  if (!point) {
    point = Point.fromBytes(groupKeyOf(pub));
    point.assertValidity();
    groupKeyPoints.set(pub, point);
  }
  return point;
}

/** Builds a public package from a commitment vector, deriving every verifying share. */
export function makePublicPackage(p: {
  walletId: Uint8Array;
  epoch: number;
  threshold: number;
  deviceKeys: readonly DeviceKey[];
  commitment: readonly Point[];
  /**
   * Verifying shares the caller has just evaluated from this same commitment (dkgPart3 has its own
   * from the Feldman check); they seed the cache instead of being evaluated a second time.
   */
  evaluated?: ReadonlyMap<Identifier, Point>;
}): PublicPackage {
  const roster = makeRoster(p.deviceKeys);
  if (p.commitment.length !== p.threshold)
    throw new CairnError('BAD_COMMITMENT_LENGTH', `The group commitment has ${p.commitment.length} entries, expected t = ${p.threshold}`);
  if (p.threshold < 2 || p.threshold > roster.identifiers.length)
    throw new CairnError('BAD_PARAMETERS', `Threshold ${p.threshold} is not between 2 and ${roster.identifiers.length}`);
  const groupKey = p.commitment[0]!;
  if (groupKey.is0()) throw new CairnError('INCONSISTENT_COMMITMENTS', 'The group key is the identity');
  // Verifying shares are derived on first use and cached: each costs a t-term multi-scalar
  // multiplication with 256-bit identifiers, and most operations need only a few of them.
  // One shared inversion makes every entry affine, so encoding them costs no further inversions.
  const commitment = normalizeZ(Point, [...p.commitment]);
  const verifyingShares: Record<Identifier, Uint8Array> = {};
  for (const id of roster.identifiers) {
    const known = p.evaluated?.get(id);
    if (known?.is0()) throw new CairnError('INCONSISTENT_COMMITMENTS', 'A verifying share is the identity');
    let cached: Uint8Array | undefined = known?.toBytes(true);
    Object.defineProperty(verifyingShares, id, {
      enumerable: true,
      get() {
        if (!cached) {
          const vs = evaluateCommitment(commitment, identifierToScalar(id));
          if (vs.is0()) throw new CairnError('INCONSISTENT_COMMITMENTS', 'A verifying share is the identity');
          cached = vs.toBytes(true);
        }
        return cached;
      },
    });
  }
  return Object.freeze({
    walletId: p.walletId.slice(),
    epoch: p.epoch,
    threshold: p.threshold,
    roster,
    commitments: Object.freeze(commitment.map((c) => c.toBytes(true))),
    verifyingShares: Object.freeze(verifyingShares),
  });
}

export function encodePublicPackage(pub: PublicPackage): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(pub.walletId)
    .u32(pub.epoch)
    .u16(pub.threshold)
    .list(pub.roster.deviceKeys, (w, k) => w.bytes(k))
    .list(pub.commitments, (w, c) => w.point(c))
    .finish();
}

/** Decodes and re-derives everything derivable: a stored or received package can't be inconsistent. */
export function decodePublicPackage(bytes: Uint8Array, culprit?: string): PublicPackage {
  const r = new ByteReader(bytes, 'public package', culprit ?? []);
  if (r.u8() !== 1) r.fail('unsupported version');
  const walletId = r.bytes(32, 'wallet id');
  const epoch = r.u32();
  const threshold = r.u16();
  const deviceKeys = r.list((r) => r.pointBytes());
  const commitment = r.list((r) => r.point());
  r.end();
  return makePublicPackage({ walletId, epoch, threshold, deviceKeys, commitment });
}

/** What guardians sign/echo to confirm they hold the same public package. */
export function publicPackageHash(pub: PublicPackage): Uint8Array {
  return sha256(new ByteWriter().var32(new TextEncoder().encode('cairn/public-package/v1')).bytes(encodePublicPackage(pub)).finish());
}

export function encodeKeyPackage(key: KeyPackage): Uint8Array {
  return new ByteWriter().u8(1).identifier(key.identifier).bytes(key.signingShare).var32(encodePublicPackage(key.public)).finish();
}

export function decodeKeyPackage(bytes: Uint8Array): KeyPackage {
  const r = new ByteReader(bytes, 'key package');
  if (r.u8() !== 1) r.fail('unsupported version');
  const identifier = r.identifier();
  const signingShare = r.scalarBytes({ nonZero: true });
  const pub = decodePublicPackage(r.var32('public package'));
  r.end();
  return checkKeyPackage({ identifier, signingShare, public: pub });
}

/** A key package is usable only if its share matches its own verifying share. */
export function checkKeyPackage(key: KeyPackage): KeyPackage {
  const expected = key.public.verifyingShares[key.identifier];
  if (!expected) throw new CairnError('UNKNOWN_SENDER', 'This share belongs to no one in the roster');
  const actual = Point.BASE.multiply(Fn.fromBytes(key.signingShare)).toBytes(true);
  if (bytesToHex(actual) !== bytesToHex(expected)) throw new CairnError('BAD_SHARE', 'The secret share does not match its verifying share');
  return key;
}

/** The same key in noble's FROST shapes (for commit / signShare / aggregate). */
/** `only`: the identifiers whose verifying shares the caller needs (default: all). */
export function toFrostPublic(pub: PublicPackage, only: readonly Identifier[] = pub.roster.identifiers): FrostPublic {
  return {
    signers: { min: pub.threshold, max: pub.roster.identifiers.length },
    commitments: pub.commitments.map((c) => c.slice()),
    verifyingShares: Object.fromEntries(only.map((id) => [id, pub.verifyingShares[id]!.slice()])),
  } as FrostPublic;
}

export function toFrostSecret(key: KeyPackage): FrostSecret {
  return { identifier: key.identifier, signingShare: key.signingShare.slice() } as FrostSecret;
}

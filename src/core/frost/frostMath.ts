/**
 * RFC 9591 signing arithmetic for FROST(secp256k1, SHA-256) on already-decoded inputs: binding
 * factors (§4.4), group commitment (§4.5), challenge (§4.6), Lagrange coefficient (§4.2), the
 * signer's share (§5.2) and share verification (§5.4). The wrappers (frostSignShare,
 * frostAggregate) decode every point exactly once and use one variable-time multi-scalar
 * multiplication for the public sums; only the nonces and the share are secret, and they enter
 * only scalar arithmetic (the same field operations noble's signShare performs).
 * test/core/rfc9591.vector.test.ts replays Appendix E.5 through these functions and the wrappers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { FROST_CONTEXT, Fn, Point, hashToScalar } from '../curve.ts';
import { utf8 } from '../encoding.ts';
import { identifierToScalar, type Identifier } from '../identifier.ts';
import { msmUnsafe } from '../msm.ts';
import { lagrangeCoefficient } from '../polynomial.ts';

/** One signer's round-1 commitment, decoded: points validated, bytes canonical. */
export type DecodedCommitment = {
  readonly identifier: Identifier;
  readonly hiding: Point;
  readonly binding: Point;
  /** Canonical 33-byte encodings of `hiding` and `binding` (what was received). */
  readonly hidingBytes: Uint8Array;
  readonly bindingBytes: Uint8Array;
};

const H4_PREFIX = utf8(FROST_CONTEXT + 'msg');
const H5_PREFIX = utf8(FROST_CONTEXT + 'com');
const H1_DST = FROST_CONTEXT + 'rho';
const H2_DST = FROST_CONTEXT + 'chal';

/** The commitment list sorted by identifier value (RFC 9591 §4.3 assumes it sorted). */
export function sortCommitments(list: readonly DecodedCommitment[]): DecodedCommitment[] {
  const ids = new Set(list.map((c) => c.identifier));
  if (ids.size !== list.length) throw new Error('duplicate identifier in the commitment list');
  return [...list].sort((a, b) => {
    const x = identifierToScalar(a.identifier);
    const y = identifierToScalar(b.identifier);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

export type GroupCommitment = {
  /** R = Σ Dᵢ + ρᵢ·Eᵢ; never the identity. */
  readonly R: Point;
  readonly bindingFactors: ReadonlyMap<Identifier, bigint>;
  /** Identifiers of the list, in order (the Lagrange interpolation set). */
  readonly identifiers: readonly Identifier[];
};

/** §4.4 binding factors and §4.5 group commitment, for a list sorted by `sortCommitments`. */
export function groupCommitment(groupKey: Uint8Array, sorted: readonly DecodedCommitment[], msg: Uint8Array): GroupCommitment {
  const encoded = concatBytes(...sorted.flatMap((c) => [Fn.toBytes(identifierToScalar(c.identifier)), c.hidingBytes, c.bindingBytes]));
  const prefix = concatBytes(groupKey, sha256(concatBytes(H4_PREFIX, msg)), sha256(concatBytes(H5_PREFIX, encoded)));
  const bindingFactors = new Map<Identifier, bigint>();
  const points: Point[] = [];
  const scalars: bigint[] = [];
  for (const c of sorted) {
    const rho = hashToScalar(H1_DST, concatBytes(prefix, Fn.toBytes(identifierToScalar(c.identifier))));
    bindingFactors.set(c.identifier, rho);
    points.push(c.hiding, c.binding);
    scalars.push(1n, rho);
  }
  const R = msmUnsafe(points, scalars);
  // SerializeElement rejects the identity, so the RFC's challenge computation would fail here.
  if (R.is0()) throw new Error('the group commitment is the identity');
  return { R, bindingFactors, identifiers: sorted.map((c) => c.identifier) };
}

/** §4.6 c = H2(R ‖ PK ‖ msg). */
export function challenge(R: Point, groupKey: Uint8Array, msg: Uint8Array): bigint {
  return hashToScalar(H2_DST, concatBytes(R.toBytes(true), groupKey, msg));
}

/** §5.2 zᵢ = dᵢ + eᵢ·ρᵢ + λᵢ·sᵢ·c. All inputs already checked; the result is secret until sent. */
export function signatureShare(p: {
  identifier: Identifier;
  signingShare: bigint;
  hidingNonce: bigint;
  bindingNonce: bigint;
  group: GroupCommitment;
  challenge: bigint;
}): bigint {
  const rho = p.group.bindingFactors.get(p.identifier);
  if (rho === undefined) throw new Error('signer is not in the commitment list');
  const lambda = lagrangeCoefficient(p.identifier, p.group.identifiers);
  return Fn.add(Fn.add(p.hidingNonce, Fn.mul(p.bindingNonce, rho)), Fn.mul(Fn.mul(lambda, p.signingShare), p.challenge));
}

/** §5.4 zᵢ·G == Dᵢ + ρᵢ·Eᵢ + (c·λᵢ)·Yᵢ (all public: one variable-time multi-scalar multiplication). */
export function verifySignatureShare(p: {
  commitment: DecodedCommitment;
  verifyingShare: Point;
  share: bigint;
  group: GroupCommitment;
  challenge: bigint;
}): boolean {
  const { identifier, hiding, binding } = p.commitment;
  const rho = p.group.bindingFactors.get(identifier)!;
  const lambda = lagrangeCoefficient(identifier, p.group.identifiers);
  // Σ must be the identity: zᵢ·G − Dᵢ − ρᵢ·Eᵢ − (c·λᵢ)·Yᵢ.
  const sum = msmUnsafe([Point.BASE, hiding, binding, p.verifyingShare], [p.share, Fn.neg(1n), Fn.neg(rho), Fn.neg(Fn.mul(p.challenge, lambda))]);
  return sum.is0();
}

/** z·G == R + c·PK for the final signature (public data). */
export function verifyAggregate(R: Point, z: bigint, groupKey: Point, c: bigint): boolean {
  return msmUnsafe([Point.BASE, groupKey, R], [z, Fn.neg(c), Fn.neg(1n)]).is0();
}

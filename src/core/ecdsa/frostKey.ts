/**
 * Reads a noble FROST key package (`{ public: FrostPublic; secret: FrostSecret }`, the DKG output) as DKLs23 input:
 * Shamir share x_i = f(id_i), group key pk = commitments[0], verifying shares X_j = x_j·G. Identifiers are canonical
 * 32-byte hex scalars (never small integers); Lagrange coefficients are computed over those scalars.
 */
import type { Key } from '@noble/curves/abstract/frost.js';
import { CairnError } from '../errors.ts';
import { concat, decodePoint, decodeScalar, Fn, hashTagged, hexToBytes32, identifierToScalar, mod, mulG, u32, type Point } from './encoding.ts';

export type EcdsaKey = {
  readonly self: string;
  readonly x: bigint;
  readonly t: number;
  readonly n: number;
  readonly pk: Point;
  readonly pkBytes: Uint8Array;
  readonly verifyingShares: ReadonlyMap<string, Point>;
  /** Binds signing to this key set (TOB-SILA-10). */
  readonly keyId: Uint8Array;
};

export function parseFrostKey(key: Key): EcdsaKey {
  const bad = (msg: string) => new CairnError('BAD_PARAMETERS', msg);
  if (!key?.public || !key.secret) throw bad('key must be { public, secret }');
  const self = key.secret.identifier;
  if (identifierToScalar(self) === undefined) throw bad('key.secret.identifier is not a canonical identifier');
  const x = key.secret.signingShare instanceof Uint8Array && key.secret.signingShare.length === 32 ? decodeScalar(key.secret.signingShare) : undefined;
  if (x === undefined || x === 0n) throw bad('key.secret.signingShare is not a canonical nonzero scalar');
  const { min: t, max: n } = key.public.signers ?? ({} as { min: number; max: number });
  if (!Number.isInteger(t) || !Number.isInteger(n) || t < 2 || t > n) throw bad('key.public.signers out of range');
  const commitments = key.public.commitments;
  if (!Array.isArray(commitments) || commitments.length !== t) throw bad('key.public.commitments must have t entries');
  const pk = decodePoint(commitments[0]!);
  if (!pk) throw bad('group key is not a valid point');
  for (const c of commitments) if (!(c instanceof Uint8Array) || !decodePoint(c)) throw bad('invalid commitment');
  const ids = Object.keys(key.public.verifyingShares ?? {}).sort();
  if (ids.length !== n) throw bad('key.public.verifyingShares must have n entries');
  const verifyingShares = new Map<string, Point>();
  for (const id of ids) {
    const X = decodePoint(key.public.verifyingShares[id]!);
    if (identifierToScalar(id) === undefined || !X) throw bad('invalid verifying share');
    verifyingShares.set(id, X);
  }
  if (!verifyingShares.get(self)?.equals(mulG(x))) throw bad('signing share does not match its verifying share');
  const keyId = hashTagged('key-id', u32(t), u32(n), ...ids.flatMap((id) => [hexToBytes32(id), key.public.verifyingShares[id]!]), concat(...commitments));
  return { self, x, t, n, pk, pkBytes: commitments[0]!.slice(), verifyingShares, keyId };
}

/** λ_i = Π_{j≠i} id_j / (id_j − id_i) over the signer set. */
export function lagrangeAtZero(self: string, signers: readonly string[]): bigint {
  const xi = identifierToScalar(self)!;
  let num = 1n;
  let den = 1n;
  for (const s of signers) {
    if (s === self) continue;
    const xj = identifierToScalar(s)!;
    num = (num * xj) % Fn.ORDER;
    den = (den * mod(xj - xi)) % Fn.ORDER;
  }
  return mod(num * Fn.inv(den));
}

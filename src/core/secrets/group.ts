/**
 * secp256k1 group helpers for the vault: strict parsing of points, scalars and identifiers into
 * noble's types, with CairnErrors that name the sender. Identifiers are canonical 32-byte hex
 * scalars exactly as in noble's FROST (`Identifier.derive`), parsed with `BigInt('0x' + id)`.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { CairnError, type CairnErrorCode } from '../errors.ts';

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof secp256k1.Point>;
export const Fn = Point.Fn;
/** The group order n. */
export const ORDER = Fn.ORDER;
export const POINT_BYTES = 33;
export const SCALAR_BYTES = 32;

/** Parses a compressed point; rejects anything else and the identity. */
export function decodePoint(bytes: Uint8Array, field: string, culprits: readonly string[] = [], code: CairnErrorCode = 'MALFORMED'): Point {
  if (!(bytes instanceof Uint8Array) || bytes.length !== POINT_BYTES) throw new CairnError(code, `${field} must be a 33-byte compressed point`, { culprits });
  let p: Point;
  try {
    p = Point.fromBytes(bytes);
    p.assertValidity();
  } catch (cause) {
    throw new CairnError(code, `${field} is not a point on secp256k1`, { culprits, cause });
  }
  if (p.is0()) throw new CairnError(code, `${field} is the identity`, { culprits });
  return p;
}

/** Parses a 32-byte big-endian scalar in [1, n). */
export function decodeNonZeroScalar(bytes: Uint8Array, field: string, culprits: readonly string[] = []): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) throw new CairnError('MALFORMED', `${field} must be 32 bytes`, { culprits });
  const x = bytesToNumberBE(bytes);
  if (x === 0n || x >= ORDER) throw new CairnError('MALFORMED', `${field} is not a scalar in [1, n)`, { culprits });
  return x;
}

export function encodeScalar(x: bigint): Uint8Array {
  return numberToBytesBE(x, SCALAR_BYTES);
}

const ID_HEX = /^[0-9a-f]{64}$/;

/** Parses a canonical identifier (64 lowercase hex chars, a scalar in [1, n)). Never small ints. */
export function parseIdentifier(id: string, culprits: readonly string[] = [id]): bigint {
  if (typeof id !== 'string' || !ID_HEX.test(id)) throw new CairnError('MALFORMED', 'Identifier must be 64 lowercase hex characters', { culprits });
  const x = BigInt('0x' + id);
  if (x === 0n || x >= ORDER) throw new CairnError('MALFORMED', 'Identifier is not a scalar in [1, n)', { culprits });
  return x;
}

export function identifierFromBytes(bytes: Uint8Array, culprits: readonly string[] = []): string {
  const x = decodeNonZeroScalar(bytes, 'identifier', culprits);
  return x.toString(16).padStart(64, '0');
}

export function identifierToBytes(id: string): Uint8Array {
  return encodeScalar(parseIdentifier(id));
}

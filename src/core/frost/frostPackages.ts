/** Wire formats of FROST round 1 (nonce commitments) and round 2 (signature shares). */
import type { NonceCommitments } from '@noble/curves/abstract/frost.js';
import type { Point } from '../curve.ts';
import { ByteReader, ByteWriter } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';
import { PackageKind, readHeader, writeHeader } from '../packageHeader.ts';
import type { DecodedCommitment } from './frostMath.ts';

/** A nonce commitment: two compressed points (33 B each, RFC 9591 SerializeElement). */
export function encodeCommitment(session: Uint8Array, c: { identifier: Identifier; hiding: Point | Uint8Array; binding: Point | Uint8Array }): Uint8Array {
  return writeHeader(PackageKind.signCommitment, session, c.identifier).point(c.hiding).point(c.binding).finish();
}

/** Decodes a commitment, keeping the validated points and their compressed encodings. */
export function decodeCommitmentPoints(bytes: Uint8Array, session: Uint8Array, from: Identifier): DecodedCommitment {
  const r = readHeader(bytes, { kind: PackageKind.signCommitment, session, from });
  const hiding = r.point();
  const binding = r.point();
  r.end();
  return { identifier: from, hiding, binding, hidingBytes: hiding.toBytes(true), bindingBytes: binding.toBytes(true) };
}

/** The same in noble's shape (compressed bytes), for tests that cross-check with noble. */
export function decodeCommitment(bytes: Uint8Array, session: Uint8Array, from: Identifier): NonceCommitments {
  const c = decodeCommitmentPoints(bytes, session, from);
  return { identifier: from, hiding: c.hidingBytes, binding: c.bindingBytes } as NonceCommitments;
}

export function encodeSignatureShare(session: Uint8Array, from: Identifier, share: Uint8Array): Uint8Array {
  return writeHeader(PackageKind.signShare, session, from).bytes(share).finish();
}

export function decodeSignatureShare(bytes: Uint8Array, session: Uint8Array, from: Identifier): Uint8Array {
  const r = readHeader(bytes, { kind: PackageKind.signShare, session, from });
  const share = r.scalarBytes();
  r.end();
  return share;
}

/** A final RFC 9591 signature: R (33 B compressed) ‖ z (32 B). */
export function decodeSignature(bytes: Uint8Array): { R: Uint8Array; z: bigint } {
  const r = new ByteReader(bytes, 'signature');
  const R = r.pointBytes();
  const z = r.scalar();
  r.end();
  return { R, z };
}

export const encodeSignature = (R: Uint8Array, z: bigint) => new ByteWriter().bytes(R).scalar(z).finish();

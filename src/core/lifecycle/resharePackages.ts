/** Wire formats of the reshare packages (header + body, canonical, fully checked on decode). */
import type { Point } from '../curve.ts';
import { MAX_GUARDIANS, type Identifier } from '../identifier.ts';
import { PackageKind, readHeader, writeHeader } from '../packageHeader.ts';

/** Broadcast to every new holder: the dealer's t′ Feldman commitments (entry 0 = s_i·G). */
export function encodeReshareRound1(session: Uint8Array, from: Identifier, commitment: readonly Point[]): Uint8Array {
  return writeHeader(PackageKind.reshareRound1, session, from)
    .list(commitment, (w, c) => w.point(c))
    .finish();
}

/** The length (must be t′) is checked by the caller. */
export function decodeReshareRound1(bytes: Uint8Array, session: Uint8Array, from: Identifier): Point[] {
  const r = readHeader(bytes, { kind: PackageKind.reshareRound1, session, from });
  const commitment = r.list((r) => r.point(), { max: MAX_GUARDIANS });
  r.end();
  return commitment;
}

/** Point to point, sent with round 1: g_from(recipient). */
export function encodeReshareRound2(session: Uint8Array, from: Identifier, recipient: Identifier, share: bigint): Uint8Array {
  return writeHeader(PackageKind.reshareRound2, session, from).identifier(recipient).scalar(share).finish();
}

export function decodeReshareRound2(bytes: Uint8Array, session: Uint8Array, from: Identifier): { recipient: Identifier; share: bigint } {
  const r = readHeader(bytes, { kind: PackageKind.reshareRound2, session, from });
  const recipient = r.identifier();
  const share = r.scalar();
  r.end();
  return { recipient, share };
}

/** Wire formats of the refresh packages (header + body, canonical, fully checked on decode). */
import type { Point } from '../curve.ts';
import { MAX_GUARDIANS, type Identifier } from '../identifier.ts';
import { PackageKind, readHeader, writeHeader } from '../packageHeader.ts';
import { readEcho, writeEcho, type Echo } from './lifecycleSession.ts';

/** Round 1 (broadcast): the t−1 non-constant commitments of a zero-constant polynomial. */
export function encodeRefreshRound1(session: Uint8Array, from: Identifier, commitment: readonly Point[]): Uint8Array {
  return writeHeader(PackageKind.refreshRound1, session, from)
    .list(commitment, (w, c) => w.point(c))
    .finish();
}

/** The length (must be t−1) is checked by the caller, which knows t. Identity points are refused. */
export function decodeRefreshRound1(bytes: Uint8Array, session: Uint8Array, from: Identifier): Point[] {
  const r = readHeader(bytes, { kind: PackageKind.refreshRound1, session, from });
  const commitment = r.list((r) => r.point(), { max: MAX_GUARDIANS });
  r.end();
  return commitment;
}

/** Round 2 (point to point): f_from(recipient), plus the sender's echo of every round-1 package. */
export type RefreshRound2Body = { recipient: Identifier; share: bigint; echo: Echo };

export function encodeRefreshRound2(session: Uint8Array, from: Identifier, body: RefreshRound2Body): Uint8Array {
  const w = writeHeader(PackageKind.refreshRound2, session, from).identifier(body.recipient).scalar(body.share);
  writeEcho(w, body.echo);
  return w.finish();
}

export function decodeRefreshRound2(bytes: Uint8Array, session: Uint8Array, from: Identifier): RefreshRound2Body {
  const r = readHeader(bytes, { kind: PackageKind.refreshRound2, session, from });
  const recipient = r.identifier();
  const share = r.scalar();
  const echo = readEcho(r);
  r.end();
  return { recipient, share, echo };
}

/** Wire formats of the DKG packages (header + body, canonical, fully checked on decode). */
import type { Point } from '../curve.ts';
import { bytesToHex, hexToBytes } from '../encoding.ts';
import { MAX_GUARDIANS, type Identifier } from '../identifier.ts';
import { PackageKind, readHeader, writeHeader } from '../packageHeader.ts';

export type DkgRound1Body = { commitment: Point[]; proof: { R: Point; mu: bigint } };

export function encodeDkgRound1(session: Uint8Array, from: Identifier, body: DkgRound1Body): Uint8Array {
  return writeHeader(PackageKind.dkgRound1, session, from)
    .list(body.commitment, (w, c) => w.point(c))
    .point(body.proof.R)
    .scalar(body.proof.mu)
    .finish();
}

/** Decodes a round-1 broadcast; the commitment length is checked by the caller (it knows t). */
export function decodeDkgRound1(bytes: Uint8Array, session: Uint8Array, from: Identifier): DkgRound1Body {
  const r = readHeader(bytes, { kind: PackageKind.dkgRound1, session, from });
  const commitment = r.list((r) => r.point(), { max: MAX_GUARDIANS });
  const R = r.point();
  const mu = r.scalar();
  r.end();
  return { commitment, proof: { R, mu } };
}

export type DkgRound2Body = {
  recipient: Identifier;
  share: bigint;
  /** The sender's view of every round-1 package: identifier → digest. */
  echo: Array<[Identifier, string]>;
};

export function encodeDkgRound2(session: Uint8Array, from: Identifier, body: DkgRound2Body): Uint8Array {
  return writeHeader(PackageKind.dkgRound2, session, from)
    .identifier(body.recipient)
    .scalar(body.share)
    .list(body.echo, (w, [id, digest]) => w.identifier(id).bytes(hexToBytes(digest)))
    .finish();
}

export function decodeDkgRound2(bytes: Uint8Array, session: Uint8Array, from: Identifier): DkgRound2Body {
  const r = readHeader(bytes, { kind: PackageKind.dkgRound2, session, from });
  const recipient = r.identifier();
  const share = r.scalar({ nonZero: true });
  const echo = r.list((r) => [r.identifier(), bytesToHex(r.bytes(32, 'echo digest'))] as [Identifier, string], { max: MAX_GUARDIANS });
  r.end();
  return { recipient, share, echo };
}

/** Wire formats of the repair packages (header + body, canonical, fully checked on decode). */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Point } from '../curve.ts';
import { ByteWriter, bytesToHex } from '../encoding.ts';
import { MAX_GUARDIANS, type Identifier } from '../identifier.ts';
import { PackageKind, readHeader, writeHeader } from '../packageHeader.ts';
import { readEcho, writeEcho, type Echo } from './lifecycleSession.ts';

/**
 * Helper → helper j: the sender's delta commitments D_{from→k} (one per helper, sorted) and the
 * secret δ_{from→j}. Helper → target: the same commitments and no delta (the target must never see
 * one). Whether a delta is present follows from the recipient, never from a flag on the wire.
 */
export type RepairDeltaBody = { recipient: Identifier; commitments: Point[]; delta?: bigint };

export function encodeRepairDelta(session: Uint8Array, from: Identifier, body: RepairDeltaBody): Uint8Array {
  const w = writeHeader(PackageKind.repairDelta, session, from)
    .identifier(body.recipient)
    .list(body.commitments, (w, c) => w.point(c));
  if (body.delta !== undefined) w.scalar(body.delta);
  return w.finish();
}

export function decodeRepairDelta(bytes: Uint8Array, session: Uint8Array, from: Identifier, expect: { helpers: number; withDelta: boolean }): RepairDeltaBody {
  const r = readHeader(bytes, { kind: PackageKind.repairDelta, session, from });
  const recipient = r.identifier();
  const commitments = r.list((r) => r.point(), { max: MAX_GUARDIANS, exact: expect.helpers });
  const delta = expect.withDelta ? r.scalar() : undefined;
  r.end();
  return { recipient, commitments, delta };
}

/** Digest of one helper's delta commitments, echoed by every helper to the target. */
export function deltaCommitmentsDigest(session: Uint8Array, from: Identifier, commitments: readonly Point[]): string {
  return bytesToHex(
    sha256(
      new ByteWriter()
        .bytes(session)
        .identifier(from)
        .list(commitments, (w, c) => w.point(c))
        .finish(),
    ),
  );
}

/** Helper j → target: σ_j and j's echo of every helper's delta commitments. */
export type RepairSigmaBody = { recipient: Identifier; sigma: bigint; echo: Echo };

export function encodeRepairSigma(session: Uint8Array, from: Identifier, body: RepairSigmaBody): Uint8Array {
  const w = writeHeader(PackageKind.repairSigma, session, from).identifier(body.recipient).scalar(body.sigma);
  writeEcho(w, body.echo);
  return w.finish();
}

export function decodeRepairSigma(bytes: Uint8Array, session: Uint8Array, from: Identifier): RepairSigmaBody {
  const r = readHeader(bytes, { kind: PackageKind.repairSigma, session, from });
  const recipient = r.identifier();
  const sigma = r.scalar();
  const echo = readEcho(r);
  r.end();
  return { recipient, sigma, echo };
}

/**
 * Every round package starts with the same header: version, kind, session id, sender identifier.
 * Decoding a package checks the header against what the receiver expects before the body is read,
 * and the sender named inside must equal the authenticated sender the caller got it from.
 */
import { CairnError } from './errors.ts';
import { ByteReader, ByteWriter, equalBytes } from './encoding.ts';
import type { Identifier } from './identifier.ts';

export const PACKAGE_VERSION = 1;

/** Package kinds. Numbers are wire values: never reuse one. */
export const PackageKind = {
  dkgRound1: 1,
  dkgRound2: 2,
  signCommitment: 3,
  signShare: 4,
  refreshRound1: 10,
  refreshRound2: 11,
  reshareRound1: 12,
  reshareRound2: 13,
  repairDelta: 14,
  repairSigma: 15,
  epochConfirmation: 16,
} as const;
export type PackageKind = (typeof PackageKind)[keyof typeof PackageKind];

const kindNames = new Map<number, string>(Object.entries(PackageKind).map(([k, v]) => [v, k]));

export function writeHeader(kind: PackageKind, session: Uint8Array, sender: Identifier): ByteWriter {
  return new ByteWriter().u8(PACKAGE_VERSION).u8(kind).bytes(session).identifier(sender);
}

/**
 * Reads and checks a header. `from` is the authenticated sender (from the channel, never from the
 * payload): a package that claims another sender, session or kind is rejected naming `from`.
 */
export function readHeader(bytes: Uint8Array, expect: { kind: PackageKind; session: Uint8Array; from: Identifier }): ByteReader {
  const r = new ByteReader(bytes, `${kindNames.get(expect.kind) ?? 'package'} package`, expect.from);
  const version = r.u8();
  if (version !== PACKAGE_VERSION) r.fail(`unsupported version ${version}`);
  const kind = r.u8();
  if (kind !== expect.kind)
    throw new CairnError('WRONG_ROUND', `Expected a ${kindNames.get(expect.kind)} package, got ${kindNames.get(kind) ?? `kind ${kind}`}`, {
      culprits: [expect.from],
    });
  const session = r.bytes(32, 'session');
  if (!equalBytes(session, expect.session))
    throw new CairnError('WRONG_SESSION', 'Package belongs to another session (wallet, protocol, epoch, roster or request)', {
      culprits: [expect.from],
    });
  const sender = r.identifier();
  if (sender !== expect.from) throw new CairnError('UNKNOWN_SENDER', 'Package names a sender other than the one it came from', { culprits: [expect.from] });
  return r;
}

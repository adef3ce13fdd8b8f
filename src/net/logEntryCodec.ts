/**
 * Wire format of one request-log entry (canonical bytes, every length checked, hard size bound).
 *
 *     "CLE" (3) ‖ version = 1 (1)
 *     scope   str16  (≤ 256 bytes)   the wallet the log belongs to: an entry can't be replayed
 *                                    into another wallet's log
 *     kind    str16  (≤ 64 bytes, [a-z0-9-/])
 *     author  33     compressed device public key
 *     at      u64    author's clock in ms (informative only: never trusted for ordering)
 *     body    var32  (≤ MAX_BODY_BYTES)
 *     sig     64     BIP-340 signature by `author` over everything above, domain "cairn/log-entry"
 *
 * `id` = hex SHA-256 of the signed bytes (everything before `sig`), so a replay of the same entry —
 * or the same content with another signature — has the same id and is dropped as a duplicate.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CairnError } from '../core/errors.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex, utf8 } from '../device/byteCodec.ts';
import { DEVICE_SIGNATURE_BYTES, signWithDevice, verifyDeviceSignature, type DeviceIdentity } from '../device/deviceIdentity.ts';

export const MAX_BODY_BYTES = 64 * 1024;
/** Hard bound on one encoded entry: the biggest body plus header room. */
export const MAX_ENTRY_BYTES = MAX_BODY_BYTES + 1024;
const MAGIC = utf8('CLE');
const VERSION = 1;
const SIG_DOMAIN = 'cairn/log-entry';
const KIND_RE = /^[a-z][a-z0-9/-]{0,63}$/;

export type EncodedLogEntry = {
  id: string;
  scope: string;
  kind: string;
  author: string;
  at: number;
  body: Uint8Array;
};

function signedPart(scope: string, kind: string, author: Uint8Array, at: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().bytes(MAGIC).u8(VERSION).str16(scope).str16(kind).bytes(author).u64(at).var32(body).finish();
}

export function isWellFormedKind(kind: string): boolean {
  return typeof kind === 'string' && KIND_RE.test(kind);
}

/** Builds and signs an entry; returns its bytes and id. */
export function encodeLogEntry(p: { identity: DeviceIdentity; scope: string; kind: string; at: number; body: Uint8Array }): { bytes: Uint8Array; id: string } {
  if (!isWellFormedKind(p.kind)) throw new CairnError('BAD_PARAMETERS', `Log entry kind "${String(p.kind).slice(0, 64)}" is not well-formed`);
  if (!(p.body instanceof Uint8Array) || p.body.length > MAX_BODY_BYTES) {
    throw new CairnError('BAD_PARAMETERS', `A log entry body must be bytes of at most ${MAX_BODY_BYTES}`);
  }
  if (utf8(p.scope).length > 256) throw new CairnError('BAD_PARAMETERS', 'Log scope is too long');
  const author = hexToBytesStrict(p.identity.publicKey, 'identity.publicKey', 33);
  const signed = signedPart(p.scope, p.kind, author, Math.max(0, Math.floor(p.at)), p.body);
  const sig = signWithDevice(p.identity, SIG_DOMAIN, signed);
  return { bytes: new ByteWriter().bytes(signed).bytes(sig).finish(), id: toHex(sha256(signed)) };
}

/**
 * Decodes and verifies an entry. Throws only `CairnError`: `MALFORMED` or `BAD_SIGNATURE`. The
 * errors name no culprit: until the signature verifies, the author field is only a claim, and
 * blaming it would let anyone frame an honest guardian (use `peekAuthor` to *report* the claim).
 */
export function decodeLogEntry(raw: unknown): EncodedLogEntry {
  if (!(raw instanceof Uint8Array)) throw new CairnError('MALFORMED', 'Log entry is not bytes');
  if (raw.length > MAX_ENTRY_BYTES) throw new CairnError('MALFORMED', `Log entry is larger than ${MAX_ENTRY_BYTES} bytes`);
  const r = new ByteReader(raw, 'log entry');
  const magic = r.bytes(3, 'magic');
  if (magic[0] !== MAGIC[0] || magic[1] !== MAGIC[1] || magic[2] !== MAGIC[2]) throw r.malformed('is not a Cairn log entry');
  if (r.u8('version') !== VERSION) throw r.malformed('has an unknown version');
  const scope = r.str16('scope', 256);
  const kind = r.str16('kind', 64);
  const author = toHex(r.bytes(33, 'author'));
  if (!isWellFormedKind(kind)) throw r.malformed('kind is not well-formed');
  const at = r.u64('at');
  const body = r.var32('body', MAX_BODY_BYTES);
  const signedLength = raw.length - r.remaining;
  const sig = r.bytes(DEVICE_SIGNATURE_BYTES, 'signature');
  r.end();
  const signed = raw.subarray(0, signedLength);
  if (!verifyDeviceSignature(author, SIG_DOMAIN, signed, sig)) {
    throw new CairnError('BAD_SIGNATURE', 'Log entry signature does not verify');
  }
  return { id: toHex(sha256(signed)), scope, kind, author, at, body };
}

/** Best-effort author of bytes too broken or too big to decode (for reporting only). */
export function peekAuthor(raw: Uint8Array): string | undefined {
  try {
    const r = new ByteReader(raw.subarray(0, 2048), 'log entry header');
    const head = r.bytes(4, 'magic');
    if (head[0] !== MAGIC[0] || head[1] !== MAGIC[1] || head[2] !== MAGIC[2]) return undefined;
    r.str16('scope', 256);
    r.str16('kind', 64);
    return toHex(r.bytes(33, 'author'));
  } catch {
    return undefined;
  }
}

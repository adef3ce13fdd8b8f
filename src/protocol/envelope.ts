/**
 * The protocol envelope (docs/architecture.md "Wire format"): every round package travels as
 *
 *     "CEV" (3) ‖ v = 1 (1) ‖ session (32) ‖ protocol str16 (≤ 32) ‖ round u8 (0 = hello, 1..255)
 *       ‖ from (33, sender's device key) ‖ hasTo u8 (0|1) ‖ [to (33)]      ← the header
 *       ‖ body var32 (≤ MAX_ENVELOPE_BODY)
 *       ‖ sig (64)  BIP-340 by `from`, domain "cairn/envelope/v1", over header ‖ body
 *
 * Point-to-point bodies are ciphertexts (`envelopeSeal.ts`) with the header as associated data.
 * Decoding checks every length, the magic, version, protocol name and key encodings and throws only
 * `CairnError('MALFORMED')`; the signature is checked separately (`verifyEnvelope`) so a router can
 * drop messages of other sessions before paying for a verification.
 */
import { CairnError, type ProtocolName } from '../core/index.ts';
import { ByteReader, ByteWriter, equalBytes, toHex, utf8 } from '../device/byteCodec.ts';
import { DEVICE_SIGNATURE_BYTES, parseDevicePublicKey, signWithDevice, verifyDeviceSignature, type DeviceIdentity } from '../device/deviceIdentity.ts';

export const ENVELOPE_VERSION = 1;
/** Bound on one body: far above any Cairn package, well under a log entry's 64 KiB. */
export const MAX_ENVELOPE_BODY = 60 * 1024;
const MAGIC = utf8('CEV');
const SIG_DOMAIN = 'cairn/envelope/v1';

export const PROTOCOL_NAMES: readonly ProtocolName[] = ['dkg', 'frost-sign', 'refresh', 'reshare', 'repair', 'ecdsa-setup', 'ecdsa-sign', 'vault-open'];

export type EnvelopeHeader = {
  readonly v: number;
  readonly session: Uint8Array;
  readonly protocol: ProtocolName;
  readonly round: number;
  /** Sender's device key, 33-byte compressed hex. */
  readonly from: string;
  /** Recipient's device key (point-to-point rounds only). */
  readonly to?: string;
};

export type Envelope = EnvelopeHeader & {
  readonly body: Uint8Array;
  readonly sig: Uint8Array;
  /** header ‖ body as signed (kept for verification). */
  readonly signed: Uint8Array;
  /** The header bytes alone (AEAD associated data). */
  readonly headerBytes: Uint8Array;
};

export function encodeEnvelopeHeader(h: EnvelopeHeader): Uint8Array {
  if (!(h.session instanceof Uint8Array) || h.session.length !== 32) throw new CairnError('BAD_PARAMETERS', 'An envelope session is 32 bytes');
  if (!PROTOCOL_NAMES.includes(h.protocol)) throw new CairnError('BAD_PARAMETERS', 'Unknown protocol');
  if (!Number.isInteger(h.round) || h.round < 0 || h.round > 255) throw new CairnError('BAD_PARAMETERS', 'An envelope round is 0..255');
  const w = new ByteWriter().bytes(MAGIC).u8(ENVELOPE_VERSION).bytes(h.session).str16(h.protocol).u8(h.round).bytes(parseDevicePublicKey(h.from, 'from'));
  if (h.to === undefined) w.u8(0);
  else w.u8(1).bytes(parseDevicePublicKey(h.to, 'to'));
  return w.finish();
}

/** Builds and signs an envelope with the sender's device key (`header.from` must be this device). */
export function sealEnvelope(identity: DeviceIdentity, header: Omit<EnvelopeHeader, 'v' | 'from'>, body: Uint8Array): Uint8Array {
  if (!(body instanceof Uint8Array) || body.length > MAX_ENVELOPE_BODY)
    throw new CairnError('BAD_PARAMETERS', `An envelope body is at most ${MAX_ENVELOPE_BODY} bytes`);
  const headerBytes = encodeEnvelopeHeader({ ...header, v: ENVELOPE_VERSION, from: identity.publicKey });
  const signed = new ByteWriter().bytes(headerBytes).var32(body).finish();
  return new ByteWriter()
    .bytes(signed)
    .bytes(signWithDevice(identity, SIG_DOMAIN, signed))
    .finish();
}

/** Parses an envelope (no signature check). Throws only `CairnError('MALFORMED')`. */
export function decodeEnvelope(raw: unknown): Envelope {
  if (!(raw instanceof Uint8Array)) throw new CairnError('MALFORMED', 'Envelope is not bytes');
  if (raw.length > MAX_ENVELOPE_BODY + 256) throw new CairnError('MALFORMED', 'Envelope is too large');
  const r = new ByteReader(raw, 'envelope');
  const magic = r.bytes(3, 'magic');
  if (!equalBytes(magic, MAGIC)) throw r.malformed('is not a Cairn envelope');
  const v = r.u8('version');
  if (v !== ENVELOPE_VERSION) throw r.malformed('has an unknown version');
  const session = r.bytes(32, 'session');
  const protocol = r.str16('protocol', 32) as ProtocolName;
  if (!PROTOCOL_NAMES.includes(protocol)) throw r.malformed('names an unknown protocol');
  const round = r.u8('round'); // 0: the runner's session-key hello (envelopeSeal.ts)
  const from = deviceKey(r.bytes(33, 'from'), 'from');
  const hasTo = r.u8('hasTo');
  if (hasTo > 1) throw r.malformed('hasTo is not 0 or 1');
  const to = hasTo === 1 ? deviceKey(r.bytes(33, 'to'), 'to') : undefined;
  const headerLength = raw.length - r.remaining;
  const body = r.var32('body', MAX_ENVELOPE_BODY);
  const signedLength = raw.length - r.remaining;
  const sig = r.bytes(DEVICE_SIGNATURE_BYTES, 'signature');
  r.end();
  const env: Envelope = { v, session, protocol, round, from, body, sig, signed: raw.slice(0, signedLength), headerBytes: raw.slice(0, headerLength) };
  return to === undefined ? env : { ...env, to };
}

/**
 * Format check only (33 bytes, compressed prefix): whether the point is on the curve is checked
 * where it matters — `verifyEnvelope` parses `from`, and the router compares `to` with this device's
 * own key — so envelopes of other sessions cost no square root.
 */
function deviceKey(bytes: Uint8Array, field: string): string {
  if (bytes[0] !== 2 && bytes[0] !== 3) throw new CairnError('MALFORMED', `envelope: ${field} is not a compressed device key`);
  return toHex(bytes);
}

/** True iff `env.sig` is `env.from`'s signature over the header and body. */
export function verifyEnvelope(env: Envelope): boolean {
  return verifyDeviceSignature(env.from, SIG_DOMAIN, env.signed, env.sig);
}

/**
 * One `envelope` log entry carries a batch of envelopes (a direct round's packages to every
 * recipient travel together: n entries per round instead of n(n−1), and each device verifies one
 * log signature per sender). Batch = count u16 (1..255) ‖ var32 envelope × count.
 */
export const MAX_BATCH_BYTES = 63 * 1024;

export function encodeEnvelopeBatches(envelopes: readonly Uint8Array[]): Uint8Array[] {
  const batches: Uint8Array[] = [];
  let current: Uint8Array[] = [];
  let size = 2;
  const flush = () => {
    if (!current.length) return;
    const w = new ByteWriter().u16(current.length);
    for (const e of current) w.var32(e);
    batches.push(w.finish());
    current = [];
    size = 2;
  };
  for (const e of envelopes) {
    if (current.length === 255 || size + 4 + e.length > MAX_BATCH_BYTES) flush();
    current.push(e);
    size += 4 + e.length;
  }
  flush();
  return batches;
}

/** Splits a batch into raw envelopes (each still to be decoded). Throws only `CairnError('MALFORMED')`. */
export function decodeEnvelopeBatch(raw: unknown): Uint8Array[] {
  if (!(raw instanceof Uint8Array) || raw.length > MAX_BATCH_BYTES) throw new CairnError('MALFORMED', 'Envelope batch is not bytes or is too large');
  const r = new ByteReader(raw, 'envelope batch');
  const count = r.u16('count');
  if (count < 1 || count > 255) throw r.malformed('count out of range');
  const out = Array.from({ length: count }, () => r.var32('envelope', MAX_ENVELOPE_BODY + 256));
  r.end();
  return out;
}

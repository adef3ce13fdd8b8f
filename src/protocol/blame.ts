/**
 * Blame: a typed, signed statement "in session S, device X misbehaved or did not answer", published
 * to the request log as a `blame` entry (so every guardian, and later the audit view, sees who
 * caused an abort; invariant 6 in docs/invariants.md). Signing retries read these entries to pick a quorum
 * without the blamed devices.
 *
 *     v u8 = 1 ‖ session 32 ‖ protocol str16 ‖ requestId var16 (≤ 64) ‖ count u8 (1..100)
 *       ‖ culprits 33 × count ‖ code str16 (≤ 40) ‖ reason str16 (≤ 200)
 */
import { CairnError, type CairnErrorCode, type ProtocolName } from '../core/index.ts';
import { ByteReader, ByteWriter, toHex } from '../device/byteCodec.ts';
import { parseDevicePublicKey } from '../device/deviceIdentity.ts';
import { PROTOCOL_NAMES } from './envelope.ts';

export const BLAME_LOG_KIND = 'blame';

export type Blame = {
  readonly session: Uint8Array;
  readonly protocol: ProtocolName;
  /** The log request the session served (signing), or empty. */
  readonly requestId: Uint8Array;
  /** Device keys (hex) of the blamed guardians. */
  readonly culprits: readonly string[];
  /** Why: the CairnError code ('ABORTED' for a guardian that didn't answer in time). */
  readonly code: CairnErrorCode;
  readonly reason: string;
};

export function encodeBlame(b: Blame): Uint8Array {
  if (b.culprits.length < 1 || b.culprits.length > 100) throw new CairnError('BAD_PARAMETERS', 'A blame names 1 to 100 devices');
  const w = new ByteWriter().u8(1).bytes(b.session).str16(b.protocol).var16(b.requestId).u8(b.culprits.length);
  for (const c of b.culprits) w.bytes(parseDevicePublicKey(c, 'culprit'));
  return w.str16(b.code.slice(0, 40)).str16(truncateUtf8(b.reason, 200)).finish();
}

export function decodeBlame(bytes: Uint8Array): Blame {
  const r = new ByteReader(bytes, 'blame');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const session = r.bytes(32, 'session');
  const protocol = r.str16('protocol', 32) as ProtocolName;
  if (!PROTOCOL_NAMES.includes(protocol)) throw r.malformed('unknown protocol');
  const requestId = r.var16('requestId', 64);
  const count = r.u8('count');
  if (count < 1 || count > 100) throw r.malformed('culprit count out of range');
  const culprits: string[] = [];
  for (let i = 0; i < count; i++) {
    const hex = toHex(r.bytes(33, 'culprit'));
    try {
      parseDevicePublicKey(hex);
    } catch {
      throw r.malformed('culprit is not a device key');
    }
    culprits.push(hex);
  }
  const code = r.str16('code', 40) as CairnErrorCode;
  const reason = r.str16('reason', 200);
  r.end();
  return { session, protocol, requestId, culprits, code, reason };
}

function truncateUtf8(s: string, maxBytes: number): string {
  let out = s;
  while (new TextEncoder().encode(out).length > maxBytes) out = out.slice(0, -1);
  return out;
}

/**
 * Session ids. Every package is bound to one session = hash(wallet id, protocol, epoch, sorted
 * roster of participants, request id), so a package from another wallet, protocol, epoch,
 * participant set or request is rejected before its contents are looked at.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError } from './errors.ts';
import { ByteWriter } from './encoding.ts';
import { makeRoster, type DeviceKey } from './identifier.ts';

export type ProtocolName = 'dkg' | 'frost-sign' | 'refresh' | 'reshare' | 'repair' | 'ecdsa-setup' | 'ecdsa-sign' | 'vault-open';

export type SessionParams = {
  /** 32-byte wallet id (random at creation). */
  walletId: Uint8Array;
  protocol: ProtocolName;
  /** Epoch of the shares the session uses (DKG: 0). */
  epoch: number;
  /** The device keys taking part in this session (any order; sorted here). */
  participants: readonly DeviceKey[];
  /** Request id from the log (DKG: the wallet-creation request). Up to 64 bytes. */
  requestId: Uint8Array;
};

const SESSION_DOMAIN = utf8ToBytes('cairn/session/v1');

export function sessionId(p: SessionParams): Uint8Array {
  if (!(p.walletId instanceof Uint8Array) || p.walletId.length !== 32) throw new CairnError('BAD_PARAMETERS', 'A wallet id is 32 bytes');
  if (!Number.isSafeInteger(p.epoch) || p.epoch < 0 || p.epoch > 0xffffffff) throw new CairnError('BAD_PARAMETERS', 'An epoch is a 32-bit unsigned integer');
  if (!(p.requestId instanceof Uint8Array) || p.requestId.length > 64) throw new CairnError('BAD_PARAMETERS', 'A request id is at most 64 bytes');
  const roster = makeRoster(p.participants);
  const w = new ByteWriter()
    .var32(SESSION_DOMAIN)
    .bytes(p.walletId)
    .var32(utf8ToBytes(p.protocol))
    .u32(p.epoch)
    .list(roster.deviceKeys, (w, k) => w.bytes(k))
    .var32(p.requestId);
  return sha256(w.finish());
}

/**
 * Guardians are known by their device public keys; FROST identifiers are derived from those keys
 * (noble's `Identifier.derive`, ZF's HID), so a roster is just a sorted list of device keys and
 * every identifier is stable across epochs.
 */
import { CairnError } from './errors.ts';
import { frost, Point } from './curve.ts';
import { bytesToHex, hexToBytes } from './encoding.ts';

/** A device identity key: 33-byte compressed secp256k1 point. */
export type DeviceKey = Uint8Array;
/** A FROST identifier: canonical 32-byte scalar, hex (as noble uses it). */
export type Identifier = string;

const IDENTIFIER_PREFIX = 'cairn-device-v1:';

// identifierOf is pure and called for every package; remember recent results (public data only).
const identifierCache = new Map<string, Identifier>();

export function identifierOf(deviceKey: DeviceKey): Identifier {
  const hex = bytesToHex(deviceKey);
  let id = identifierCache.get(hex);
  if (!id) {
    id = frost.Identifier.derive(IDENTIFIER_PREFIX + bytesToHex(assertDeviceKey(deviceKey)));
    if (identifierCache.size > 4096) identifierCache.clear();
    identifierCache.set(hex, id);
  }
  return id;
}

// Decompressing a key costs a square root; rosters are re-checked on every session, so remember
// which keys (public data) already passed.
const validDeviceKeys = new Set<string>();

export function assertDeviceKey(key: Uint8Array): DeviceKey {
  const hex = key instanceof Uint8Array ? bytesToHex(key) : '';
  if (validDeviceKeys.has(hex)) return key;
  try {
    if (!(key instanceof Uint8Array) || key.length !== 33) throw new Error('length');
    const p = Point.fromBytes(key);
    p.assertValidity();
    if (p.is0()) throw new Error('identity');
  } catch {
    throw new CairnError('BAD_PARAMETERS', 'A device key must be a 33-byte compressed secp256k1 public key');
  }
  if (validDeviceKeys.size > 4096) validDeviceKeys.clear();
  validDeviceKeys.add(hex);
  return key;
}

/** A roster: device keys sorted bytewise (canonical), with their identifiers in the same order. */
export type Roster = { readonly deviceKeys: readonly DeviceKey[]; readonly identifiers: readonly Identifier[] };

export const MAX_GUARDIANS = 100;

export function makeRoster(deviceKeys: readonly DeviceKey[]): Roster {
  if (deviceKeys.length < 1 || deviceKeys.length > MAX_GUARDIANS)
    throw new CairnError('BAD_PARAMETERS', `A roster has 1 to ${MAX_GUARDIANS} guardians, not ${deviceKeys.length}`);
  const hex = deviceKeys.map((k) => bytesToHex(assertDeviceKey(k))).sort();
  for (let i = 1; i < hex.length; i++) if (hex[i] === hex[i - 1]) throw new CairnError('BAD_PARAMETERS', 'The same device appears twice in the roster');
  const sorted = hex.map((h) => hexToBytes(h));
  return Object.freeze({ deviceKeys: Object.freeze(sorted), identifiers: Object.freeze(sorted.map(identifierOf)) });
}

export function identifierToScalar(id: Identifier): bigint {
  return BigInt('0x' + id);
}

/**
 * The registry's guardian-set hash, in the core (which can't use viem): keccak256(abi.encode(bytes[]))
 * of the device keys sorted bytewise — the definition of src/chain/guardianSetHash.ts and
 * contracts/CairnRegistry.sol, tested equal to it.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { CairnError } from '../errors.ts';
import { bytesToHex } from '../encoding.ts';
import type { DeviceKey } from '../identifier.ts';
import type { Bytes32 } from '../signingRequest.ts';

const WORD = 32;

function uintWord(n: number): Uint8Array {
  const w = new Uint8Array(WORD);
  new DataView(w.buffer).setUint32(WORD - 4, n);
  return w;
}

/** ABI encoding of a single `bytes[]` argument (head: offset 0x20; tail: length, offsets, items). */
function abiEncodeBytesArray(items: readonly Uint8Array[]): Uint8Array {
  const padded = (len: number) => Math.ceil(len / WORD) * WORD;
  const parts: Uint8Array[] = [uintWord(WORD), uintWord(items.length)];
  let offset = items.length * WORD;
  for (const item of items) {
    parts.push(uintWord(offset));
    offset += WORD + padded(item.length);
  }
  for (const item of items) {
    parts.push(uintWord(item.length));
    const body = new Uint8Array(padded(item.length));
    body.set(item);
    parts.push(body);
  }
  return concatBytes(...parts);
}

export function guardianSetHashOf(deviceKeys: readonly DeviceKey[]): Bytes32 {
  if (deviceKeys.length === 0) throw new CairnError('BAD_PARAMETERS', 'A guardian set needs at least one device key');
  const hex = deviceKeys.map(bytesToHex).sort();
  for (let i = 1; i < hex.length; i++) if (hex[i] === hex[i - 1]) throw new CairnError('BAD_PARAMETERS', 'A device key appears twice in the guardian set');
  // Same-length keys: hex order is bytewise order.
  const sorted = [...deviceKeys].sort((a, b) => (bytesToHex(a) < bytesToHex(b) ? -1 : 1));
  return `0x${bytesToHex(keccak_256(abiEncodeBytesArray(sorted)))}`;
}

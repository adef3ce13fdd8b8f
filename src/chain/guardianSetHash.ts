import { bytesToHex, encodeAbiParameters, keccak256, type Hex } from 'viem';
import { CairnError } from '../core/errors.ts';

/**
 * The registry's guardian-set hash: keccak256(abi.encode(bytes[] keys)) of the guardians' device
 * identity keys sorted bytewise. Sorting makes it independent of the order devices joined in;
 * duplicates are rejected because a device holds one share.
 */
export function guardianSetHash(deviceKeys: readonly Uint8Array[]): Hex {
  if (deviceKeys.length === 0) throw new CairnError('BAD_PARAMETERS', 'A guardian set needs at least one device key.');
  const sorted = [...deviceKeys].sort(compareBytes);
  for (let i = 1; i < sorted.length; i++)
    if (compareBytes(sorted[i - 1]!, sorted[i]!) === 0)
      throw new CairnError('DUPLICATE_SENDER', 'A device key appears twice in the guardian set.', {
        culprits: [bytesToHex(sorted[i]!).slice(2)],
      });
  return keccak256(encodeAbiParameters([{ type: 'bytes[]' }], [sorted.map((k) => bytesToHex(k))]));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

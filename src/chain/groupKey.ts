import { secp256k1 } from '@noble/curves/secp256k1.js';
import { encodeAbiParameters, keccak256, type Hex } from 'viem';
import { CairnError } from '../core/errors.ts';

const N = secp256k1.Point.CURVE().n;

export type GroupKeyCoordinates = { x: bigint; y: bigint };

/**
 * The affine coordinates of a 33-byte compressed group key, as the contracts store it.
 * Rejects keys the on-chain ecrecover trick cannot use (x ≥ n, probability ~2⁻¹²⁸ for a DKG key).
 */
export function groupKeyToCoordinates(groupKey: Uint8Array): GroupKeyCoordinates {
  if (!(groupKey instanceof Uint8Array) || groupKey.length !== 33) throw new CairnError('MALFORMED', 'Group key must be 33 bytes (compressed SEC1).');
  let point: { x: bigint; y: bigint };
  try {
    point = secp256k1.Point.fromBytes(groupKey).toAffine();
  } catch (cause) {
    throw new CairnError('MALFORMED', 'Group key is not a point on secp256k1.', { cause });
  }
  if (point.x === 0n || point.x >= N) throw new CairnError('BAD_PARAMETERS', 'Group key x-coordinate is not below the group order; run the DKG again.');
  return { x: point.x, y: point.y };
}

/** The registry's wallet id: keccak256(abi.encode(x, y)) of the group key (`CairnRegistry.walletIdOf`). */
export function getWalletId(groupKey: Uint8Array): Hex {
  const { x, y } = groupKeyToCoordinates(groupKey);
  return keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [x, y]));
}

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { encodeAbiParameters, type Hex } from 'viem';
import { CairnError } from '../core/errors.ts';

const N = secp256k1.Point.CURVE().n;

/** A FROST signature as the contracts take it (`FrostSignature` in contracts/FrostVerifier.sol). */
export type ContractSignature = { rx: bigint; ry: bigint; z: bigint };

/**
 * Converts a 65-byte RFC 9591 signature (compressed R || z) into (Rx, Ry, z): R is decompressed
 * off chain because on-chain decompression costs several thousand gas.
 */
export function toContractSignature(signature: Uint8Array): ContractSignature {
  if (!(signature instanceof Uint8Array) || signature.length !== 65) throw new CairnError('MALFORMED', 'FROST signature must be 65 bytes (R || z).');
  let R: { x: bigint; y: bigint };
  try {
    R = secp256k1.Point.fromBytes(signature.subarray(0, 33)).toAffine();
  } catch (cause) {
    throw new CairnError('MALFORMED', 'FROST signature R is not a point on secp256k1.', { cause });
  }
  let z = 0n;
  for (const b of signature.subarray(33)) z = (z << 8n) | BigInt(b);
  if (z === 0n || z >= N) throw new CairnError('MALFORMED', 'FROST signature z is not in (0, n).');
  return { rx: R.x, ry: R.y, z };
}

/** The 96-byte (Rx, Ry, z) encoding that `CairnVault.isValidSignature` (ERC-1271) takes. */
export function encodeContractSignature(signature: Uint8Array): Hex {
  const { rx, ry, z } = toContractSignature(signature);
  return encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }], [rx, ry, z]);
}

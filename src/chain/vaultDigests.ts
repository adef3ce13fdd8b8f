import { bytesToHex, hashTypedData, hexToBytes, type Address, type Hex, type TypedDataDomain } from 'viem';
import { signingDigest, type SigningRequest } from '../core/signingRequest.ts';

/**
 * The vault's digests. The one TypeScript definition is the core's `signingDigest`
 * (src/core/signingRequest.ts, sans-I/O); these wrap it with viem-friendly parameters, and the
 * tests check both against `CairnVault.executeDigest`/`messageDigest`. EIP-712's 0x1901 prefix and
 * the "Cairn Vault" domain keep them apart from EIP-191 messages and from registry digests.
 */
export type GetVaultExecuteDigestParameters = {
  chainId: number;
  vault: Address;
  to: Address;
  value: bigint;
  data: Hex;
  nonce: bigint;
  minGas: bigint;
  validUntil: number;
};
export type VaultExecuteRequest = Extract<SigningRequest, { type: 'vault-execute' }>;
export type GetVaultExecuteDigestReturnType = Hex;

export function vaultExecuteRequest(p: GetVaultExecuteDigestParameters): VaultExecuteRequest {
  return {
    type: 'vault-execute',
    chainId: BigInt(p.chainId),
    vault: p.vault,
    to: p.to,
    value: p.value,
    data: hexToBytes(p.data),
    nonce: p.nonce,
    minGas: p.minGas,
    validUntil: p.validUntil,
  };
}

/** The digest the group signs to authorise `vault.execute(to, value, data, minGas, validUntil)` at `nonce`. */
export function getVaultExecuteDigest(p: GetVaultExecuteDigestParameters): GetVaultExecuteDigestReturnType {
  return bytesToHex(signingDigest(vaultExecuteRequest(p)));
}

export type GetVaultMessageDigestParameters = { chainId: number; vault: Address; hash: Hex };
export type VaultMessageRequest = Extract<SigningRequest, { type: 'vault-message' }>;
export type GetVaultMessageDigestReturnType = Hex;

export function vaultMessageRequest(p: GetVaultMessageDigestParameters): VaultMessageRequest {
  return { type: 'vault-message', chainId: BigInt(p.chainId), vault: p.vault, hash: p.hash };
}

/** The digest the group signs so that the vault's ERC-1271 `isValidSignature(hash, ·)` accepts it. */
export function getVaultMessageDigest(p: GetVaultMessageDigestParameters): GetVaultMessageDigestReturnType {
  return bytesToHex(signingDigest(vaultMessageRequest(p)));
}

/**
 * The same layouts as EIP-712 typed data, for wallets that display what they sign
 * (`hashTypedData({ domain: vaultDomain(…), types: vaultTypes, … })` equals the digests above).
 */
export const vaultTypes = {
  CairnExecute: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'nonce', type: 'uint256' },
    { name: 'minGas', type: 'uint256' },
    { name: 'validUntil', type: 'uint48' },
  ],
  CairnUserOp: [
    { name: 'userOpHash', type: 'bytes32' },
    { name: 'validUntil', type: 'uint48' },
  ],
  CairnMessage: [{ name: 'hash', type: 'bytes32' }],
} as const;

export function vaultDomain(chainId: number, vault: Address): TypedDataDomain {
  return { name: 'Cairn Vault', version: '1', chainId, verifyingContract: vault };
}

export type GetVaultUserOpDigestParameters = { chainId: number; vault: Address; userOpHash: Hex; validUntil: number };

/**
 * The digest the group signs for a user operation: `CairnUserOp(userOpHash, validUntil)` in the
 * vault's domain (`CairnVault.userOpDigest`). The guardians never sign this from a bare hash: their
 * request carries the whole operation (`vault-user-operation`), and the core recomputes the hash.
 */
export function getVaultUserOpDigest(p: GetVaultUserOpDigestParameters): Hex {
  return hashTypedData({
    domain: vaultDomain(p.chainId, p.vault),
    types: { CairnUserOp: vaultTypes.CairnUserOp },
    primaryType: 'CairnUserOp',
    message: { userOpHash: p.userOpHash, validUntil: p.validUntil },
  });
}

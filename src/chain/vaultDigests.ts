import { hashTypedData, type Address, type Hex, type TypedDataDomain } from 'viem';

/**
 * The vault's EIP-712 definitions — the one TypeScript definition of what `CairnVault` verifies
 * (tested equal to its `executeDigest`/`messageDigest` views). EIP-712's 0x1901 prefix and the
 * "Cairn Vault" domain keep these digests apart from EIP-191 messages and from registry digests.
 */
export const vaultTypes = {
  CairnExecute: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'nonce', type: 'uint256' },
  ],
  CairnMessage: [{ name: 'hash', type: 'bytes32' }],
} as const;

export function vaultDomain(chainId: number, vault: Address): TypedDataDomain {
  return { name: 'Cairn Vault', version: '1', chainId, verifyingContract: vault };
}

export type GetVaultExecuteDigestParameters = {
  chainId: number;
  vault: Address;
  to: Address;
  value: bigint;
  data: Hex;
  nonce: bigint;
};
export type GetVaultExecuteDigestReturnType = Hex;

/** The digest the group signs to authorise `vault.execute(to, value, data)` at `nonce`. */
export function getVaultExecuteDigest(p: GetVaultExecuteDigestParameters): GetVaultExecuteDigestReturnType {
  return hashTypedData({
    domain: vaultDomain(p.chainId, p.vault),
    types: vaultTypes,
    primaryType: 'CairnExecute',
    message: { to: p.to, value: p.value, data: p.data, nonce: p.nonce },
  });
}

export type GetVaultMessageDigestParameters = { chainId: number; vault: Address; hash: Hex };
export type GetVaultMessageDigestReturnType = Hex;

/** The digest the group signs so that the vault's ERC-1271 `isValidSignature(hash, ·)` accepts it. */
export function getVaultMessageDigest(p: GetVaultMessageDigestParameters): GetVaultMessageDigestReturnType {
  return hashTypedData({
    domain: vaultDomain(p.chainId, p.vault),
    types: vaultTypes,
    primaryType: 'CairnMessage',
    message: { hash: p.hash },
  });
}

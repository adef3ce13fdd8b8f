import { hashTypedData, type Address, type Hex, type TypedDataDomain } from 'viem';

/**
 * The registry's EIP-712 definitions — the one TypeScript definition of what `CairnRegistry`
 * verifies (tested equal to its `registerDigest`/`advanceEpochDigest` views).
 */
export const registryTypes = {
  CairnRegister: [
    { name: 'groupKeyX', type: 'uint256' },
    { name: 'groupKeyY', type: 'uint256' },
    { name: 'threshold', type: 'uint16' },
    { name: 'guardianSetHash', type: 'bytes32' },
  ],
  CairnAdvanceEpoch: [
    { name: 'walletId', type: 'bytes32' },
    { name: 'epoch', type: 'uint64' },
    { name: 'threshold', type: 'uint16' },
    { name: 'guardianSetHash', type: 'bytes32' },
  ],
} as const;

export function registryDomain(chainId: number, registry: Address): TypedDataDomain {
  return { name: 'Cairn Registry', version: '1', chainId, verifyingContract: registry };
}

export type GetRegisterDigestParameters = {
  chainId: number;
  registry: Address;
  groupKeyX: bigint;
  groupKeyY: bigint;
  threshold: number;
  guardianSetHash: Hex;
};
export type GetRegisterDigestReturnType = Hex;

/** The digest the group key signs to register itself (proof of possession). */
export function getRegisterDigest(p: GetRegisterDigestParameters): GetRegisterDigestReturnType {
  return hashTypedData({
    domain: registryDomain(p.chainId, p.registry),
    types: registryTypes,
    primaryType: 'CairnRegister',
    message: { groupKeyX: p.groupKeyX, groupKeyY: p.groupKeyY, threshold: p.threshold, guardianSetHash: p.guardianSetHash },
  });
}

export type GetAdvanceEpochDigestParameters = {
  chainId: number;
  registry: Address;
  walletId: Hex;
  /** The wallet's current epoch; the change moves it to epoch + 1. */
  epoch: bigint;
  threshold: number;
  guardianSetHash: Hex;
};
export type GetAdvanceEpochDigestReturnType = Hex;

/** The digest the group key signs to move a wallet from `epoch` to `epoch + 1`. */
export function getAdvanceEpochDigest(p: GetAdvanceEpochDigestParameters): GetAdvanceEpochDigestReturnType {
  return hashTypedData({
    domain: registryDomain(p.chainId, p.registry),
    types: registryTypes,
    primaryType: 'CairnAdvanceEpoch',
    message: { walletId: p.walletId, epoch: p.epoch, threshold: p.threshold, guardianSetHash: p.guardianSetHash },
  });
}

import { bytesToHex, type Address, type Hex, type TypedDataDomain } from 'viem';
import { signingDigest, type SigningRequest } from '../core/signingRequest.ts';

/**
 * The registry's digests: viem-friendly wrappers over the core's `signingDigest` (the one TypeScript
 * definition), checked in the tests against `CairnRegistry.registerDigest`/`advanceEpochDigest`.
 */
export type GetRegisterDigestParameters = {
  chainId: number;
  registry: Address;
  groupKeyX: bigint;
  groupKeyY: bigint;
  threshold: number;
  guardianSetHash: Hex;
};
export type RegisterRequest = Extract<SigningRequest, { type: 'registry-register' }>;
export type GetRegisterDigestReturnType = Hex;

export function registerRequest(p: GetRegisterDigestParameters): RegisterRequest {
  return {
    type: 'registry-register',
    chainId: BigInt(p.chainId),
    registry: p.registry,
    groupKeyX: p.groupKeyX,
    groupKeyY: p.groupKeyY,
    threshold: p.threshold,
    guardianSetHash: p.guardianSetHash,
  };
}

/** The digest the group key signs to register itself (proof of possession). */
export function getRegisterDigest(p: GetRegisterDigestParameters): GetRegisterDigestReturnType {
  return bytesToHex(signingDigest(registerRequest(p)));
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
export type AdvanceEpochRequest = Extract<SigningRequest, { type: 'registry-advance-epoch' }>;
export type GetAdvanceEpochDigestReturnType = Hex;

export function advanceEpochRequest(p: GetAdvanceEpochDigestParameters): AdvanceEpochRequest {
  return {
    type: 'registry-advance-epoch',
    chainId: BigInt(p.chainId),
    registry: p.registry,
    walletId: p.walletId,
    epoch: p.epoch,
    threshold: p.threshold,
    guardianSetHash: p.guardianSetHash,
  };
}

/** The digest the group key signs to move a wallet from `epoch` to `epoch + 1`. */
export function getAdvanceEpochDigest(p: GetAdvanceEpochDigestParameters): GetAdvanceEpochDigestReturnType {
  return bytesToHex(signingDigest(advanceEpochRequest(p)));
}

/** The same layouts as EIP-712 typed data, for wallets that display what they sign. */
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

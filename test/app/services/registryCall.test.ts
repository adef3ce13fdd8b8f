/**
 * Registry bookkeeping carried by a vault user operation is co-signed without a click, so it must be
 * decoded exactly and refused when it could cost the vault more than bookkeeping does.
 */
import { encodeFunctionData, hexToBytes, type Address } from 'viem';
import { describe, expect, it } from 'vitest';
import type { SigningRequest } from '../../../src/core/index.ts';
import { cairnRegistryAbi } from '../../../src/chain/generated/index.ts';
import { MAX_BOOKKEEPING_FEE_WEI, isBookkeeping, isBoundedBookkeeping, registryCallOf } from '../../../src/app/services/registryCall.ts';

const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const SET = `0x${'ab'.repeat(32)}` as const;
const SIG = { rx: 1n, ry: 2n, z: 3n };
type UserOp = Extract<SigningRequest, { type: 'vault-user-operation' }>;

function op(to: Address, data: `0x${string}`, over: Partial<UserOp> = {}): UserOp {
  return {
    type: 'vault-user-operation',
    chainId: 31337n,
    entryPoint: '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108',
    vault: `0x${'11'.repeat(20)}`,
    nonce: 0n,
    initCode: new Uint8Array(),
    to,
    value: 0n,
    data: hexToBytes(data),
    callGasLimit: 100_000n,
    verificationGasLimit: 400_000n,
    preVerificationGas: 60_000n,
    maxFeePerGas: 2_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    paymasterAndData: new Uint8Array(),
    validUntil: 2_000_000_000,
    ...over,
  };
}

describe('registry calls inside vault user operations', () => {
  const register = encodeFunctionData({ abi: cairnRegistryAbi, functionName: 'register', args: [7n, 8n, 2, SET, SIG] });
  const advance = encodeFunctionData({ abi: cairnRegistryAbi, functionName: 'advanceEpoch', args: [SET, 4n, SET, 3, SIG] });

  it('decodes register and advanceEpoch into the registry requests the device checks', () => {
    expect(registryCallOf(op(REGISTRY, register), REGISTRY)).toEqual({
      type: 'registry-register',
      chainId: 31337n,
      registry: REGISTRY,
      groupKeyX: 7n,
      groupKeyY: 8n,
      threshold: 2,
      guardianSetHash: SET,
    });
    expect(registryCallOf(op(REGISTRY, advance), REGISTRY)).toEqual({
      type: 'registry-advance-epoch',
      chainId: 31337n,
      registry: REGISTRY,
      walletId: SET,
      epoch: 4n,
      threshold: 3,
      guardianSetHash: SET,
    });
    expect(isBookkeeping(op(REGISTRY, advance), REGISTRY)).toBe(true);
  });

  it('is not bookkeeping when it calls another contract, another function, or there is no registry', () => {
    const other: Address = '0x9999999999999999999999999999999999999999';
    expect(registryCallOf(op(other, register), REGISTRY)).toBeUndefined();
    expect(registryCallOf(op(REGISTRY, encodeFunctionData({ abi: cairnRegistryAbi, functionName: 'isRegistered', args: [SET] })), REGISTRY)).toBeUndefined();
    expect(registryCallOf(op(REGISTRY, '0xdeadbeef'), REGISTRY)).toBeUndefined();
    expect(registryCallOf(op(REGISTRY, register), undefined)).toBeUndefined();
    expect(isBookkeeping(op(other, register), REGISTRY)).toBe(false);
  });

  it('is co-signed without a click only with no ETH, no paymaster, bounded gas and a bounded fee', () => {
    expect(isBoundedBookkeeping(op(REGISTRY, register))).toBe(true);
    expect(isBoundedBookkeeping(op(REGISTRY, register, { value: 1n }))).toBe(false);
    expect(isBoundedBookkeeping(op(REGISTRY, register, { paymasterAndData: new Uint8Array(52).fill(1) }))).toBe(false);
    expect(isBoundedBookkeeping(op(REGISTRY, register, { callGasLimit: 3_000_000n }))).toBe(false);
    // A guardian asking an absurd fee (to collect it as its own bundler's beneficiary) is refused.
    const gas = 560_000n;
    expect(isBoundedBookkeeping(op(REGISTRY, register, { maxFeePerGas: MAX_BOOKKEEPING_FEE_WEI / gas }))).toBe(true);
    expect(isBoundedBookkeeping(op(REGISTRY, register, { maxFeePerGas: MAX_BOOKKEEPING_FEE_WEI / gas + 1n }))).toBe(false);
  });
});

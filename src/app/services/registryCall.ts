/**
 * A vault user operation that carries a registry call (registration, epoch advance): the registry
 * call's own FROST signature is the authority, the operation only pays its gas. Such operations are
 * co-signed without a click, after the same field-by-field checks as the registry request itself
 * (approvalCheck), so this decodes them into that request.
 */
import { bytesToHex, decodeFunctionData, getAddress, type Address } from 'viem';
import type { SigningRequest } from '../../core/index.ts';
import { cairnRegistryAbi } from '../../chain/generated/CairnRegistry.ts';

/** Gas a bookkeeping operation may ask for in all (its fee comes out of the vault). */
export const MAX_BOOKKEEPING_GAS = 3_000_000n;
/**
 * The most a bookkeeping operation may pay in fees (gas × maxFeePerGas), 0.02 ETH. It is co-signed
 * without a click, so a guardian who asks for an absurd fee and submits it as its own bundler's
 * beneficiary must not be able to drain the vault: above this, a person decides (Requests page).
 */
export const MAX_BOOKKEEPING_FEE_WEI = 2n * 10n ** 16n;

type RegistryRequest = Extract<SigningRequest, { type: 'registry-register' | 'registry-advance-epoch' }>;

/** The registry request inside `request`, when it is a vault user operation calling `registry`. */
export function registryCallOf(request: SigningRequest, registry: Address | undefined): RegistryRequest | undefined {
  if (request.type !== 'vault-user-operation' || !registry || getAddress(request.to) !== getAddress(registry)) return undefined;
  const call = decodedRegistryCall(request.data);
  if (!call) return undefined;
  const base = { chainId: request.chainId, registry: getAddress(registry) };
  if (call.functionName === 'register') {
    const [groupKeyX, groupKeyY, threshold, guardianSetHash] = call.args;
    return { type: 'registry-register', ...base, groupKeyX, groupKeyY, threshold, guardianSetHash };
  }
  if (call.functionName === 'advanceEpoch') {
    const [walletId, epoch, guardianSetHash, threshold] = call.args;
    return { type: 'registry-advance-epoch', ...base, walletId, epoch, threshold, guardianSetHash };
  }
  return undefined;
}

/** Whether a bookkeeping operation sends no ETH, uses no paymaster and asks for bounded gas and fees. */
export function isBoundedBookkeeping(request: Extract<SigningRequest, { type: 'vault-user-operation' }>): boolean {
  const gas = request.callGasLimit + request.verificationGasLimit + request.preVerificationGas;
  return request.value === 0n && request.paymasterAndData.length === 0 && gas <= MAX_BOOKKEEPING_GAS && gas * request.maxFeePerGas <= MAX_BOOKKEEPING_FEE_WEI;
}

/** Registry bookkeeping, co-signed without a click and shown in Activity rather than Requests. */
export function isBookkeeping(request: SigningRequest, registry: Address | undefined): boolean {
  return request.type === 'registry-register' || request.type === 'registry-advance-epoch' || registryCallOf(request, registry) !== undefined;
}

/** The registry call in `data`, or undefined when it is not one. */
function decodedRegistryCall(data: Uint8Array) {
  try {
    return decodeFunctionData({ abi: cairnRegistryAbi, data: bytesToHex(data) });
  } catch {
    return undefined;
  }
}

import { concatHex, encodeAbiParameters, getContractAddress, type Address } from 'viem';
import { cairnVaultBytecode } from './generated/CairnVault.ts';
import { groupKeyToCoordinates } from './groupKey.ts';

export type GetVaultAddressParameters = {
  /** The chain's `CairnVaultFactory`. */
  factory: Address;
  /** The group public key, 33-byte compressed. */
  groupKey: Uint8Array;
};
export type GetVaultAddressReturnType = Address;

/**
 * The address of the group's vault, computed offline (CREATE2 with salt 0 and the key in the init
 * code): the same for every guardian, and recoverable from the group key alone. Equals the
 * factory's `vaultAddress(x, y)` (tested).
 */
export function getVaultAddress({ factory, groupKey }: GetVaultAddressParameters): GetVaultAddressReturnType {
  const { x, y } = groupKeyToCoordinates(groupKey);
  const initCode = concatHex([cairnVaultBytecode, encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [x, y])]);
  return getContractAddress({ opcode: 'CREATE2', from: factory, salt: `0x${'00'.repeat(32)}`, bytecode: initCode });
}

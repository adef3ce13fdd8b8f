import { encodeFunctionData, type Address, type Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { submitterOf, type SubmitterParameters } from './callSubmitter.ts';
import { cairnVaultFactoryAbi } from './generated/CairnVaultFactory.ts';
import { getVaultAddress } from './getVaultAddress.ts';
import { groupKeyToCoordinates } from './groupKey.ts';

export type CreateVaultParameters = SubmitterParameters & { factory: Address; groupKey: Uint8Array };
export type CreateVaultReturnType = {
  address: Address;
  /** Undefined when the vault already existed (nothing was sent). */
  transactionHash: Hex | undefined;
};

/**
 * Makes sure the group's vault exists at its deterministic address (`getVaultAddress`), deploying
 * it through the factory if needed. Safe to call from every guardian: the second call sends nothing.
 * Any account may send it (the key in the init code decides what is deployed). A vault's first user
 * operation deploys it too (its initCode), so the user-operation path never needs this.
 */
export async function createVault(p: CreateVaultParameters): Promise<CreateVaultReturnType> {
  const { publicClient, factory, groupKey } = p;
  const address = getVaultAddress({ factory, groupKey });
  const code = await publicClient.getCode({ address });
  if (code && code !== '0x') return { address, transactionHash: undefined };
  const { x, y } = groupKeyToCoordinates(groupKey);
  const data = encodeFunctionData({ abi: cairnVaultFactoryAbi, functionName: 'createVault', args: [x, y] });
  const { transactionHash } = await submitterOf(p).submit({ to: factory, data });
  const deployed = await publicClient.getCode({ address });
  if (!deployed || deployed === '0x')
    throw new CairnError('ABORTED', 'The factory did not deploy the vault at its expected address.', { details: [`vault: ${address}`] });
  return { address, transactionHash };
}

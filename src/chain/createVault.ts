import type { Address, Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { waitForSuccess, type ChainClients } from './clients.ts';
import { cairnVaultFactoryAbi } from './generated/CairnVaultFactory.ts';
import { getVaultAddress } from './getVaultAddress.ts';
import { groupKeyToCoordinates } from './groupKey.ts';

export type CreateVaultParameters = ChainClients & { factory: Address; groupKey: Uint8Array };
export type CreateVaultReturnType = {
  address: Address;
  /** Undefined when the vault already existed (nothing was sent). */
  transactionHash: Hex | undefined;
};

/**
 * Makes sure the group's vault exists at its deterministic address (`getVaultAddress`), deploying
 * it through the factory if needed. Safe to call from every guardian: the second call sends nothing.
 */
export async function createVault({ publicClient, walletClient, factory, groupKey }: CreateVaultParameters): Promise<CreateVaultReturnType> {
  const address = getVaultAddress({ factory, groupKey });
  const code = await publicClient.getCode({ address });
  if (code && code !== '0x') return { address, transactionHash: undefined };
  const { x, y } = groupKeyToCoordinates(groupKey);
  const transactionHash = await walletClient.writeContract({
    address: factory,
    abi: cairnVaultFactoryAbi,
    functionName: 'createVault',
    args: [x, y],
    account: walletClient.account,
    chain: walletClient.chain,
  });
  await waitForSuccess(publicClient, transactionHash);
  const deployed = await publicClient.getCode({ address });
  if (!deployed || deployed === '0x')
    throw new CairnError('ABORTED', 'The factory did not deploy the vault at its expected address.', { details: [`vault: ${address}`] });
  return { address, transactionHash };
}

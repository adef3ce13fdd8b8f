import type { Address, Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { waitForSuccess, type ChainClients } from './clients.ts';
import { cairnVaultFactoryAbi, cairnVaultFactoryBytecode } from './generated/CairnVaultFactory.ts';

export type DeployVaultFactoryParameters = ChainClients;
export type DeployVaultFactoryReturnType = { address: Address; transactionHash: Hex };

/** Deploys a `CairnVaultFactory` (once per chain; it has no owner). */
export async function deployVaultFactory({ publicClient, walletClient }: DeployVaultFactoryParameters): Promise<DeployVaultFactoryReturnType> {
  const transactionHash = await walletClient.deployContract({
    abi: cairnVaultFactoryAbi,
    bytecode: cairnVaultFactoryBytecode,
    account: walletClient.account,
    chain: walletClient.chain,
  });
  const { contractAddress } = await waitForSuccess(publicClient, transactionHash);
  if (!contractAddress) throw new CairnError('ABORTED', 'The vault factory deployment created no contract.');
  return { address: contractAddress, transactionHash };
}

import type { Address, Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { waitForSuccess, type ChainClients } from './clients.ts';
import { cairnRegistryAbi, cairnRegistryBytecode } from './generated/CairnRegistry.ts';

export type DeployRegistryParameters = ChainClients;
export type DeployRegistryReturnType = { address: Address; transactionHash: Hex };

/** Deploys a `CairnRegistry` (it has no owner and no constructor arguments). */
export async function deployRegistry({ publicClient, walletClient }: DeployRegistryParameters): Promise<DeployRegistryReturnType> {
  const transactionHash = await walletClient.deployContract({
    abi: cairnRegistryAbi,
    bytecode: cairnRegistryBytecode,
    account: walletClient.account,
    chain: walletClient.chain,
  });
  const { contractAddress } = await waitForSuccess(publicClient, transactionHash);
  if (!contractAddress) throw new CairnError('ABORTED', 'The registry deployment created no contract.');
  return { address: contractAddress, transactionHash };
}

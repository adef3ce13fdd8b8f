import type { Address, Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { waitForSuccess, type ChainClients } from './clients.ts';
import { cairnTestTokenAbi, cairnTestTokenBytecode } from './generated/CairnTestToken.ts';

export type DeployTestTokenParameters = ChainClients;
export type DeployTestTokenReturnType = { address: Address; transactionHash: Hex };

/** Deploys the open-mint `CairnTestToken` (devnet and tests only). */
export async function deployTestToken({ publicClient, walletClient }: DeployTestTokenParameters): Promise<DeployTestTokenReturnType> {
  const transactionHash = await walletClient.deployContract({
    abi: cairnTestTokenAbi,
    bytecode: cairnTestTokenBytecode,
    account: walletClient.account,
    chain: walletClient.chain,
  });
  const { contractAddress } = await waitForSuccess(publicClient, transactionHash);
  if (!contractAddress) throw new CairnError('ABORTED', 'The token deployment created no contract.');
  return { address: contractAddress, transactionHash };
}

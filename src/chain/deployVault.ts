import type { Address, Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { waitForSuccess, type ChainClients } from './clients.ts';
import { cairnVaultAbi, cairnVaultBytecode } from './generated/CairnVault.ts';
import { groupKeyToCoordinates } from './groupKey.ts';

export type DeployVaultParameters = ChainClients & {
  /** The group public key, 33-byte compressed. It becomes the vault's immutable owner key. */
  groupKey: Uint8Array;
};
export type DeployVaultReturnType = { address: Address; transactionHash: Hex };

/** Deploys a `CairnVault` controlled by `groupKey`. */
export async function deployVault({ publicClient, walletClient, groupKey }: DeployVaultParameters): Promise<DeployVaultReturnType> {
  const { x, y } = groupKeyToCoordinates(groupKey);
  const transactionHash = await walletClient.deployContract({
    abi: cairnVaultAbi,
    bytecode: cairnVaultBytecode,
    args: [x, y],
    account: walletClient.account,
    chain: walletClient.chain,
  });
  const { contractAddress } = await waitForSuccess(publicClient, transactionHash);
  if (!contractAddress) throw new CairnError('ABORTED', 'The vault deployment created no contract.');
  return { address: contractAddress, transactionHash };
}

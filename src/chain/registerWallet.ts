import type { Address, Hex, TransactionReceipt } from 'viem';
import { waitForSuccess, type ChainClients } from './clients.ts';
import type { FrostDigestSigner } from './frostDigestSigner.ts';
import { cairnRegistryAbi } from './generated/CairnRegistry.ts';
import { getWalletId, groupKeyToCoordinates } from './groupKey.ts';
import { signWithGroup } from './signWithGroup.ts';

export type RegisterWalletParameters = ChainClients & {
  registry: Address;
  signer: FrostDigestSigner;
  threshold: number;
  guardianSetHash: Hex;
};
export type RegisterWalletReturnType = { walletId: Hex; transactionHash: Hex; receipt: TransactionReceipt };

/** Registers the signer's group key at epoch 0, with the group's signature as proof of possession. */
export async function registerWallet(p: RegisterWalletParameters): Promise<RegisterWalletReturnType> {
  const { x, y } = groupKeyToCoordinates(p.signer.groupKey);
  const chainId = await p.publicClient.getChainId();
  const { rx, ry, z } = await signWithGroup({
    signer: p.signer,
    request: { kind: 'registry.register', chainId, registry: p.registry, threshold: p.threshold, guardianSetHash: p.guardianSetHash },
  });
  const transactionHash = await p.walletClient.writeContract({
    address: p.registry,
    abi: cairnRegistryAbi,
    functionName: 'register',
    args: [x, y, p.threshold, p.guardianSetHash, { rx, ry, z }],
    account: p.walletClient.account,
    chain: p.walletClient.chain,
  });
  const receipt = await waitForSuccess(p.publicClient, transactionHash);
  return { walletId: getWalletId(p.signer.groupKey), transactionHash, receipt };
}

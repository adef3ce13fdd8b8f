import { encodeFunctionData, type Address, type Hex, type TransactionReceipt } from 'viem';
import { submitterOf, type SubmitterParameters } from './callSubmitter.ts';
import type { FrostDigestSigner } from './frostDigestSigner.ts';
import { cairnRegistryAbi } from './generated/CairnRegistry.ts';
import { getWalletId, groupKeyToCoordinates } from './groupKey.ts';
import { signWithGroup } from './signWithGroup.ts';

export type RegisterWalletParameters = SubmitterParameters & {
  registry: Address;
  signer: FrostDigestSigner;
  threshold: number;
  guardianSetHash: Hex;
};
export type RegisterWalletReturnType = { walletId: Hex; transactionHash: Hex; receipt: TransactionReceipt };

/**
 * Registers the signer's group key at epoch 0, with the group's signature as proof of possession.
 * The signature is the authority, so anyone may send it: the vault's own user operation
 * (`userOperationSubmitter`) or any account paying its own gas (`walletClient` / `accountSubmitter`).
 */
export async function registerWallet(p: RegisterWalletParameters): Promise<RegisterWalletReturnType> {
  const { x, y } = groupKeyToCoordinates(p.signer.groupKey);
  const chainId = await p.publicClient.getChainId();
  const { rx, ry, z } = await signWithGroup({
    signer: p.signer,
    request: { kind: 'registry.register', chainId, registry: p.registry, threshold: p.threshold, guardianSetHash: p.guardianSetHash },
  });
  const data = encodeFunctionData({ abi: cairnRegistryAbi, functionName: 'register', args: [x, y, p.threshold, p.guardianSetHash, { rx, ry, z }] });
  const { transactionHash, receipt } = await submitterOf(p).submit({ to: p.registry, data });
  return { walletId: getWalletId(p.signer.groupKey), transactionHash, receipt };
}

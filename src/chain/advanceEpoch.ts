import { encodeFunctionData, type Address, type Hex, type TransactionReceipt } from 'viem';
import { CairnError } from '../core/errors.ts';
import { submitterOf, type SubmitterParameters } from './callSubmitter.ts';
import type { FrostDigestSigner } from './frostDigestSigner.ts';
import { cairnRegistryAbi } from './generated/CairnRegistry.ts';
import { getWalletId } from './groupKey.ts';
import { signWithGroup } from './signWithGroup.ts';

export type AdvanceEpochParameters = SubmitterParameters & {
  registry: Address;
  signer: FrostDigestSigner;
  /** The new threshold and guardian-set hash (unchanged values are fine: a plain refresh). */
  threshold: number;
  guardianSetHash: Hex;
};
export type AdvanceEpochReturnType = { epoch: bigint; transactionHash: Hex; receipt: TransactionReceipt };

/**
 * Moves the signer's wallet to its next epoch, authorised by the group's FROST signature. Anyone may
 * send it: the vault's own user operation (`submitter: userOperationSubmitter(…)`) or any account
 * paying its own gas (`walletClient`, or `submitter: accountSubmitter(…)`).
 */
export async function advanceEpoch(p: AdvanceEpochParameters): Promise<AdvanceEpochReturnType> {
  const walletId = getWalletId(p.signer.groupKey);
  const chainId = await p.publicClient.getChainId();
  const { epoch, groupKeyX } = await p.publicClient.readContract({
    address: p.registry,
    abi: cairnRegistryAbi,
    functionName: 'getWallet',
    args: [walletId],
  });
  if (groupKeyX === 0n) throw new CairnError('NOT_FOUND', 'This wallet is not registered on this chain.', { details: [`wallet id: ${walletId}`] });
  const { rx, ry, z } = await signWithGroup({
    signer: p.signer,
    request: {
      kind: 'registry.advanceEpoch',
      chainId,
      registry: p.registry,
      walletId,
      epoch,
      threshold: p.threshold,
      guardianSetHash: p.guardianSetHash,
    },
  });
  const data = encodeFunctionData({
    abi: cairnRegistryAbi,
    functionName: 'advanceEpoch',
    args: [walletId, epoch, p.guardianSetHash, p.threshold, { rx, ry, z }],
  });
  const { transactionHash, receipt } = await submitterOf(p).submit({ to: p.registry, data });
  return { epoch: epoch + 1n, transactionHash, receipt };
}

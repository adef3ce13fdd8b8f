import type { Account, Chain, Hex, PublicClient, TransactionReceipt, Transport, WalletClient } from 'viem';
import { CairnError } from '../core/errors.ts';

/**
 * The two viem clients every write needs: one to read and wait, one funded account to submit.
 * The submitter is only a fee payer — FROST signatures authorise, so any funded account will do.
 */
export type ChainClients = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
};

/** Waits for `hash` and returns its receipt; a reverted transaction is an error. */
export async function waitForSuccess(publicClient: ChainClients['publicClient'], hash: Hex): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new CairnError('ABORTED', 'The transaction reverted on chain.', { details: [`transaction: ${hash}`] });
  return receipt;
}

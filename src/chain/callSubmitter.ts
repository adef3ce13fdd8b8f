import type { Address, Hex, TransactionReceipt } from 'viem';
import { CairnError } from '../core/errors.ts';
import { waitForSuccess, type ChainClients } from './clients.ts';
import type { CairnBundlerClient } from './createCairnBundlerClient.ts';
import type { CairnVaultSmartAccount } from './toCairnVaultSmartAccount.ts';

/** One call to submit: the registry's own FROST signature is in `data`, so anyone may send it. */
export type SubmittedCall = {
  to: Address;
  data: Hex;
  value?: bigint;
  /** The vault's user-operation nonce to use instead of the EntryPoint's next one (a retry that must exclude an earlier signature). */
  nonce?: bigint;
};
export type SubmittedCallResult = { transactionHash: Hex; receipt: TransactionReceipt };

/**
 * Who sends a call whose authority is the group signature inside it (registration, epoch advance,
 * vault creation): any account that pays its own gas, or the vault itself as a user operation.
 * Nothing here needs an unlocked RPC account.
 */
export type CallSubmitter = { submit(call: SubmittedCall): Promise<SubmittedCallResult> };

/** An ordinary sender: any viem wallet client with a signing account (e.g. the plain threshold-ECDSA address). */
export function accountSubmitter({ publicClient, walletClient }: ChainClients): CallSubmitter {
  return {
    async submit({ to, data, value }) {
      const transactionHash = await walletClient.sendTransaction({ to, data, value: value ?? 0n, account: walletClient.account, chain: walletClient.chain });
      return { transactionHash, receipt: await waitForSuccess(publicClient, transactionHash) };
    },
  };
}

export type UserOperationSubmitterParameters = { bundlerClient: CairnBundlerClient; account: CairnVaultSmartAccount };

/** The vault sends the call in its own user operation (deployed by it if needed), paying from its ETH. */
export function userOperationSubmitter({ bundlerClient, account }: UserOperationSubmitterParameters): CallSubmitter {
  return {
    async submit({ to, data, value, nonce }) {
      const hash = await bundlerClient.sendUserOperation({ account, calls: [{ to, data, value: value ?? 0n }], ...(nonce === undefined ? {} : { nonce }) });
      const { success, receipt, reason } = await bundlerClient.waitForUserOperationReceipt({ hash, timeout: 120_000 });
      if (!success)
        throw new CairnError('ABORTED', 'The vault’s user operation ran but its call failed.', {
          details: [`user operation: ${hash}`, ...(reason ? [`reason: ${reason}`] : [])],
        });
      return { transactionHash: receipt.transactionHash, receipt };
    },
  };
}

/**
 * Either a `submitter`, or (the older shape) a `walletClient` whose account pays: the chain helpers
 * that send a group-signed call accept both.
 */
export type SubmitterParameters =
  | { publicClient: ChainClients['publicClient']; submitter: CallSubmitter; walletClient?: undefined }
  | (ChainClients & { submitter?: undefined });

export function submitterOf(p: SubmitterParameters): CallSubmitter {
  return p.submitter ?? accountSubmitter({ publicClient: p.publicClient, walletClient: p.walletClient });
}

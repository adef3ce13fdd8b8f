import { http, type Chain, type PublicClient, type Transport } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';

export type CreateCairnBundlerClientParameters = {
  /** The chain's public client (reads, nonce, code). */
  client: PublicClient<Transport, Chain | undefined>;
  /** Any ERC-4337 bundler's JSON-RPC URL that serves EntryPoint v0.8. */
  bundlerUrl: string;
};

type GasPrice = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/**
 * A viem BundlerClient for the vault's user operations. Receipts are polled every 250 ms (viem's
 * default, 4 s, makes every payment feel slow). Fees come from the bundler's own price oracle when it
 * has one (`pimlico_getUserOperationGasPrice`: alto, Pimlico), so it does not refuse the operation as
 * underpriced; any other bundler gets the chain's EIP-1559 estimate.
 */
export function createCairnBundlerClient({ client, bundlerUrl }: CreateCairnBundlerClientParameters) {
  return createBundlerClient({
    client,
    transport: http(bundlerUrl, { retryCount: 0 }),
    pollingInterval: 250,
    userOperation: {
      async estimateFeesPerGas({ bundlerClient }): Promise<GasPrice> {
        try {
          const price = (await bundlerClient.request({ method: 'pimlico_getUserOperationGasPrice' as never, params: [] as never })) as {
            fast: { maxFeePerGas: string; maxPriorityFeePerGas: string };
          };
          return { maxFeePerGas: BigInt(price.fast.maxFeePerGas), maxPriorityFeePerGas: BigInt(price.fast.maxPriorityFeePerGas) };
        } catch {
          const { maxFeePerGas, maxPriorityFeePerGas } = await client.estimateFeesPerGas();
          return { maxFeePerGas, maxPriorityFeePerGas };
        }
      },
    },
  });
}

export type CairnBundlerClient = ReturnType<typeof createCairnBundlerClient>;

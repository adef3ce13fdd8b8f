import { BaseError, MethodNotFoundRpcError, MethodNotSupportedRpcError, type Address, type Chain, type Hex, type PublicClient, type Transport } from 'viem';
import { CairnError } from '../core/errors.ts';

export type EstimateCallGasFloorParameters = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** The vault (the call's sender). */
  from: Address;
  to: Address;
  value: bigint;
  data: Hex;
};

/**
 * The gas floor the group signs into a direct `execute`: what the call uses when it has plenty of gas,
 * plus 1/63 for one more level of EIP-150's 63/64 rule. `eth_estimateGas` would not do: it finds the
 * *smallest* limit at which the call succeeds, and a target that catches its own out-of-gas (the
 * SWC-126 case) "succeeds" with far too little. So the call is simulated with the block's gas
 * (`eth_simulateV1`) and its gas used read back. A node without that method gets no floor from here
 * (an `UNSUPPORTED` error): pass `minGas` yourself, or use a user operation, whose gas fields the
 * group signs anyway.
 */
export async function estimateCallGasFloor({ publicClient, from, to, value, data }: EstimateCallGasFloorParameters): Promise<bigint> {
  const simulated = await publicClient.simulateCalls({ account: from, calls: [{ to, value, data }] }).catch((err: unknown) => {
    const unsupported = err instanceof BaseError && err.walk((e) => e instanceof MethodNotFoundRpcError || e instanceof MethodNotSupportedRpcError);
    throw new CairnError(
      unsupported ? 'UNSUPPORTED' : 'ABORTED',
      unsupported
        ? 'This RPC cannot simulate calls (eth_simulateV1), so no safe gas floor can be set for a direct execute.'
        : 'The call could not be simulated.',
      { cause: err },
    );
  });
  const [result] = simulated.results;
  if (result?.status !== 'success') throw new CairnError('ABORTED', 'The call fails when the vault makes it.', { details: [`to: ${to}`] });
  return result.gasUsed + result.gasUsed / 63n;
}

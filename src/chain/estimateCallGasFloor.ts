import type { Address, Chain, Hex, PublicClient, Transport } from 'viem';
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
 * (`eth_simulateV1`) and its gas used read back; only a node without that method falls back to the
 * estimate.
 */
export async function estimateCallGasFloor({ publicClient, from, to, value, data }: EstimateCallGasFloorParameters): Promise<bigint> {
  let used: bigint;
  try {
    const { results } = await publicClient.simulateCalls({ account: from, calls: [{ to, value, data }] });
    const [result] = results;
    if (result?.status !== 'success')
      throw new CairnError('ABORTED', 'The call fails when the vault makes it.', { details: [`to: ${to}`] });
    used = result.gasUsed;
  } catch (err) {
    if (err instanceof CairnError) throw err;
    used = await publicClient.estimateGas({ account: from, to, value, data });
  }
  return used + used / 63n;
}

/**
 * Steady-state gas of one vault `execute`, made exact: calldata costs 4 gas per zero byte and 16 per
 * non-zero byte, and a FROST signature's (Rx, Ry, z) bytes are random, so the signature is re-drawn
 * (fresh nonces, same digest) until it has no zero byte. Then equal calls cost equal gas, whatever
 * the group's t and n.
 */
import type { Hex } from 'viem';
import type { ChainClients } from '../../src/chain/clients.ts';
import type { CairnVaultAccount, VaultCall } from '../../src/chain/createCairnVaultAccount.ts';
import { cairnVaultAbi } from '../../src/chain/generated/index.ts';

const hasZeroByte = (v: bigint) => {
  for (let i = 0; i < 32; i++, v >>= 8n) if ((v & 0xffn) === 0n) return true;
  return false;
};

export async function executeWithCanonicalCalldata(
  { publicClient, walletClient }: ChainClients,
  account: CairnVaultAccount,
  call: VaultCall,
): Promise<{ gasUsed: bigint; transactionHash: Hex }> {
  for (let attempt = 0; attempt < 64; attempt++) {
    // A fixed floor and deadline (no zero byte either), so every run sends the same calldata.
    const { rx, ry, z, minGas, validUntil } = await account.signCall(call, { minGas: 0x1111n, validUntil: 0x7fffffff });
    if (hasZeroByte(rx) || hasZeroByte(ry) || hasZeroByte(z)) continue;
    const transactionHash = await walletClient.writeContract({
      address: account.address,
      abi: cairnVaultAbi,
      functionName: 'execute',
      args: [call.to, call.value ?? 0n, call.data ?? '0x', minGas, validUntil, { rx, ry, z }],
      account: walletClient.account,
      chain: walletClient.chain,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: transactionHash });
    if (receipt.status !== 'success') throw new Error('execute reverted');
    return { gasUsed: receipt.gasUsed, transactionHash };
  }
  throw new Error('no zero-free signature in 64 attempts');
}

/**
 * A payment from the vault: the request goes into the log as a user operation, the guardians
 * approve it, t of them sign (FROST), the bundler carries it (the vault pays the gas), and a
 * receipt entry tells everyone the transaction hash. An amount above the balance is refused before
 * anything reaches the guardians.
 */
import { encodeFunctionData, erc20Abi, formatUnits, parseEther, parseUnits, type Address, type Hex } from 'viem';
import { CairnError } from '../../core/errors.ts';
import { readBalances, readTokenInfo, tokenOf } from './chain.ts';
import { loadSettings } from './settings.ts';
import { openVaultOperations } from './vaultOperations.ts';
import type { WalletSession } from './walletSession.ts';

export type Payment = { asset: 'ETH' | 'CTT'; to: Address; amount: string };
export type PaymentResult = { transactionHash: Hex; blockNumber: bigint };

export async function sendFromVault(session: WalletSession, p: Payment, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const config = loadSettings().chain;
  const vault = session.walletInfo().vault;
  if (!config || !vault) throw new CairnError('BAD_PARAMETERS', 'No chain or vault yet: finish the setup (Home) or set a chain in Settings.');
  let requestId = '';
  const ops = await openVaultOperations(session, config, (id) => {
    requestId = id;
    onRequest(id);
  });
  const balances = await readBalances(ops.chain, vault);
  let call: { to: Address; value?: bigint; data?: Hex };
  if (p.asset === 'ETH') {
    const value = parseEther(p.amount);
    if (value > balances.eth) throw new CairnError('BAD_PARAMETERS', `The vault holds only ${formatUnits(balances.eth, 18)} ETH, less than ${p.amount} ETH.`);
    call = { to: p.to, value };
  } else {
    const token = tokenOf(config);
    const { symbol, decimals } = await readTokenInfo(ops.chain);
    const amount = parseUnits(p.amount, decimals);
    if (amount > (balances.token ?? 0n))
      throw new CairnError('BAD_PARAMETERS', `The vault holds only ${formatUnits(balances.token ?? 0n, decimals)} ${symbol}, less than ${p.amount} ${symbol}.`);
    call = { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [p.to, amount] }) };
  }
  const { transactionHash, receipt } = await ops.submitter.submit({ to: call.to, data: call.data ?? '0x', value: call.value ?? 0n });
  if (requestId) session.appendJson('receipt', { requestId, txHash: transactionHash });
  return { transactionHash, blockNumber: receipt.blockNumber };
}

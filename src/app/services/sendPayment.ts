/**
 * A payment from the vault: the request goes into the log, the guardians approve it, t of them
 * sign (FROST), the fee payer submits `execute`, and a receipt entry tells everyone the tx hash.
 */
import { parseEther, parseUnits, type Address, type Hex } from 'viem';
import { CairnError } from '../../core/errors.ts';
import { createCairnVaultAccount } from '../../chain/createCairnVaultAccount.ts';
import { openChain, tokenOf } from './chain.ts';
import { loadSettings } from './settings.ts';
import type { WalletSession } from './walletSession.ts';

export type Payment = { asset: 'ETH' | 'CTT'; to: Address; amount: string };
export type PaymentResult = { transactionHash: Hex; blockNumber: bigint };

export async function sendFromVault(session: WalletSession, p: Payment, onRequest: (requestId: string) => void): Promise<PaymentResult> {
  const config = loadSettings().chain;
  const vault = session.walletInfo().vault;
  if (!config || !vault) throw new CairnError('BAD_PARAMETERS', 'No chain or vault yet: finish the setup (Home) or set a chain in Settings.');
  const chain = openChain(config);
  const clients = await chain.feePayer();
  let requestId = '';
  const account = createCairnVaultAccount({
    ...clients,
    vault,
    signer: session.signer((id) => {
      requestId = id;
      onRequest(id);
    }),
  });
  const exec = p.asset === 'ETH'
    ? await account.sendEth({ to: p.to, value: parseEther(p.amount) })
    : await account.transferErc20({ token: tokenOf(config), to: p.to, amount: parseUnits(p.amount, 18) });
  if (requestId) session.appendJson('receipt', { requestId, txHash: exec.transactionHash });
  return { transactionHash: exec.transactionHash, blockNumber: exec.receipt.blockNumber };
}

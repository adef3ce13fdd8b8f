/**
 * After the DKG, on the creator's device: the vault's address follows from the group key (it can
 * receive funds before it exists). The vault's first user operation registers the wallet in the
 * registry (a FROST signature the guardians co-sign) and deploys the vault, paying its gas from the
 * vault's ETH; then the others are told the vault's address in the log. On the devnet the faucet
 * funds it first; elsewhere the person sends a little ETH to the vault address and tries again.
 */
import type { Hex } from 'viem';
import { groupKeyOf } from '../../core/index.ts';
import { getWalletId } from '../../chain/groupKey.ts';
import { registerWallet } from '../../chain/registerWallet.ts';
import { devnetFaucet, readRegistryWallet } from './chain.ts';
import { isDevnet, loadSettings } from './settings.ts';
import { openVaultOperations, registryCallArgs, vaultAddressOf } from './vaultOperations.ts';
import { errorText } from './errorText.ts';
import type { WalletSession } from './walletSession.ts';

export async function setUpOnChain(session: WalletSession): Promise<void> {
  const pub = session.publicPackage();
  const chainConfig = loadSettings().chain;
  if (!pub) return;
  if (!chainConfig?.registry) {
    session.setProblem('No chain is configured, so the wallet was not registered. Set a chain in Settings.');
    return;
  }
  try {
    const groupKey = groupKeyOf(pub);
    const vault = vaultAddressOf(chainConfig, groupKey);
    const requestIds: string[] = [];
    const ops = await openVaultOperations(session, chainConfig, (id) => requestIds.push(id));
    const walletId: Hex = getWalletId(groupKey);
    if (!(await readRegistryWallet(ops.chain, walletId))) {
      if (isDevnet(chainConfig) && (await ops.chain.publicClient.getBalance({ address: vault })) === 0n) await devnetFaucet(ops.chain, vault);
      if ((await ops.chain.publicClient.getBalance({ address: vault })) === 0n) {
        session.setProblem(`To register the wallet, send a little ETH to the vault ${vault}: it pays its own gas. Then try again from Home.`);
        return;
      }
      session.setProblem(undefined, 'Registering the wallet on chain and creating the vault (the guardians co-sign)…');
      const { transactionHash } = await registerWallet(registryCallArgs(session, ops, chainConfig.registry, requestIds));
      for (const requestId of requestIds) session.appendJson('receipt', { requestId, txHash: transactionHash });
    }
    // Told to the others once registered and deployed: for them, a vault entry means both.
    if (session.walletInfo().vault !== vault) session.appendJson('vault', { vault, chainId: chainConfig.chainId });
    await session.updateInfo({ vault, chainId: chainConfig.chainId, registered: true });
    session.setProblem(undefined, undefined);
  } catch (err) {
    session.setProblem(`Setting up on chain failed: ${errorText(err)}. Check the chain in Settings, then try again from Home.`);
  }
}

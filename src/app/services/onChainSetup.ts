/**
 * After the DKG, on the creator's device: register the wallet in the registry (a FROST signature
 * the guardians co-sign) and deploy its vault, then tell the others the vault's address in the log.
 */
import { getAddress, type Hex } from 'viem';
import { groupKeyOf } from '../../core/index.ts';
import { createVault } from '../../chain/createVault.ts';
import { deployVault } from '../../chain/deployVault.ts';
import { getWalletId } from '../../chain/groupKey.ts';
import { guardianSetHash } from '../../chain/guardianSetHash.ts';
import { registerWallet } from '../../chain/registerWallet.ts';
import { openChain, readRegistryWallet } from './chain.ts';
import { loadSettings } from './settings.ts';
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
    const chain = openChain(chainConfig);
    const clients = await chain.feePayer();
    const groupKey = groupKeyOf(pub);
    const walletId: Hex = getWalletId(groupKey);
    if (!(await readRegistryWallet(chain, walletId))) {
      session.setProblem(undefined, 'Registering the wallet on chain (the guardians co-sign)…');
      let requestId = '';
      const { transactionHash } = await registerWallet({
        ...clients,
        registry: chainConfig.registry,
        signer: session.signer((id) => (requestId = id)),
        threshold: pub.threshold,
        guardianSetHash: guardianSetHash(pub.roster.deviceKeys),
      });
      if (requestId) session.appendJson('receipt', { requestId, txHash: transactionHash });
    }
    session.setProblem(undefined, 'Deploying the vault…');
    // With the factory the vault sits at an address every guardian can compute from the key alone.
    const { address: deployed } = chainConfig.vaultFactory
      ? await createVault({ ...clients, factory: chainConfig.vaultFactory, groupKey })
      : await deployVault({ ...clients, groupKey });
    const address = getAddress(deployed);
    session.appendJson('vault', { vault: address, chainId: chainConfig.chainId });
    await session.updateInfo({ vault: address, chainId: chainConfig.chainId, registered: true });
    session.setProblem(undefined, undefined);
  } catch (err) {
    session.setProblem(`Setting up on chain failed: ${errorText(err)}. Check the chain in Settings, then try again from Home.`);
  }
}

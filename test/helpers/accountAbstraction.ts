/**
 * ERC-4337 on a real anvil: EntryPoint v0.8 at its canonical address (deterministic deployer), the
 * CairnVaultFactory, and optionally a real alto bundler on a free port. Never a mock bundler.
 */
import type { Address } from 'viem';
import { deployVaultFactory } from '../../src/chain/deployVaultFactory.ts';
import { createCairnBundlerClient, type CairnBundlerClient } from '../../src/chain/createCairnBundlerClient.ts';
import { ensureEntryPoint } from '../../scripts/entryPoint.mjs';
import { spawnBundler } from '../../scripts/bundler.mjs';
import type { AnvilNode } from './anvil.ts';

export type AaSetup = { entryPoint: Address; factory: Address };

/** Deploys EntryPoint v0.8 and a vault factory with dev account `deployerIndex`. */
export async function deployAa(node: AnvilNode, deployerIndex = 0): Promise<AaSetup> {
  const clients = { publicClient: node.publicClient, walletClient: node.walletClient(deployerIndex) };
  const entryPoint = await ensureEntryPoint(clients);
  const { address: factory } = await deployVaultFactory(clients);
  return { entryPoint, factory };
}

export type TestBundler = { url: string; bundlerClient: CairnBundlerClient; stop(): Promise<void> };

/** Starts alto against `node` (EntryPoint already deployed) and a viem BundlerClient for it. */
export async function startBundler(node: AnvilNode): Promise<TestBundler> {
  const { url, stop } = await spawnBundler({ rpcUrl: node.rpcUrl });
  return { url, stop, bundlerClient: createCairnBundlerClient({ client: node.publicClient, bundlerUrl: url }) };
}

/**
 * The registry on chain as the commit a leaving guardian waits for (docs/invariants.md, invariant 4):
 * when the wallet is registered on the configured chain, a device the guardians removed deletes its
 * share only once `CairnRegistry` shows the new epoch, which anyone can read. Without a chain (or
 * before registration) the log's commit alone counts.
 */
import { getWalletId } from '../../chain/groupKey.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import { openChain, readRegistryWallet } from './chain.ts';
import { loadSettings } from './settings.ts';
import type { WalletInfo } from './walletInfo.ts';

const POLL_MS = 2_000;

/** The registry's epoch for this wallet, or undefined without a chain, a registry or a registration. */
export async function readRegistryEpoch(info: WalletInfo): Promise<bigint | undefined> {
  const config = loadSettings().chain;
  if (!config?.registry || !info.registered || !info.groupKey) return undefined;
  const rec = await readRegistryWallet(openChain(config), getWalletId(hexToBytesStrict(info.groupKey, 'group key', 33)));
  return rec?.epoch;
}

/**
 * Resolves once the registry shows `epoch` (or at once when the log is the only commit); retries
 * through RPC errors; rejects when `stopped` or after `timeoutMs`.
 */
export async function waitForRegistryEpoch(info: () => WalletInfo, epoch: number, stopped: () => boolean, timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stopped()) throw new Error('The wallet was closed');
    if (Date.now() > deadline) throw new Error('The registry did not show the new shares in time');
    try {
      const onChain = await readRegistryEpoch(info());
      if (onChain === undefined || onChain >= BigInt(epoch)) return;
    } catch {
      // the RPC may be down for a while: the share stays until the chain can be read
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

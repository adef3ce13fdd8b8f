import { useEffect, useMemo, useState } from 'react';
import type { Address, Hex } from 'viem';
import { getWalletId } from '../../chain/groupKey.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import { openChain, readBalances, readRegistryWallet, type Balances, type ChainAccess, type RegistryWallet } from '../services/chain.ts';
import { loadSettings } from '../services/settings.ts';
import { errorText } from '../services/errorText.ts';

export type ChainData = {
  chain?: ChainAccess;
  vault?: Balances;
  eoa?: Balances;
  registry?: RegistryWallet;
  error?: string;
  refresh: () => void;
};

export function useChainAccess(): ChainAccess | undefined {
  return useMemo(() => {
    const c = loadSettings().chain;
    return c ? openChain(c) : undefined;
  }, []);
}

/** Balances of the vault and the EOA and the registry record, polled every few seconds. */
export function useChainData(p: { vault?: Address; eoa?: Address; groupKey?: string }): ChainData {
  const chain = useChainAccess();
  const [data, setData] = useState<Omit<ChainData, 'refresh' | 'chain'>>({});
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the refresh trigger (refresh() bumps it)
  useEffect(() => {
    if (!chain) return;
    let stop = false;
    const load = async () => {
      try {
        const walletId: Hex | undefined = p.groupKey ? getWalletId(hexToBytesStrict(p.groupKey, 'group key', 33)) : undefined;
        const [vault, eoa, registry] = await Promise.all([
          p.vault ? readBalances(chain, p.vault) : undefined,
          p.eoa ? readBalances(chain, p.eoa) : undefined,
          walletId ? readRegistryWallet(chain, walletId) : undefined,
        ]);
        if (!stop) setData({ vault, eoa, registry });
      } catch (err) {
        if (!stop) setData((d) => ({ ...d, error: `Can't reach the chain (${errorText(err)}). Balances may be out of date; check the RPC in Settings.` }));
      }
    };
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [chain, p.vault, p.eoa, p.groupKey, tick]);
  return { ...data, chain, refresh: () => setTick((t) => t + 1) };
}

import { useEffect, useSyncExternalStore } from 'react';
import { loadTokenInfo, onTokenInfo, tokenInfoVersion } from '../services/tokenInfo.ts';

/** Reads the symbol and decimals of `addresses` from the chain; re-renders as each arrives (services/tokenInfo.ts). */
export function useTokenInfo(addresses: readonly string[]): void {
  useSyncExternalStore(onTokenInfo, tokenInfoVersion);
  const key = addresses.join(',');
  useEffect(() => {
    for (const a of key ? key.split(',') : []) loadTokenInfo(a);
  }, [key]);
}

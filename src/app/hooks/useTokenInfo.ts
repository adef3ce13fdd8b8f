import { useEffect, useSyncExternalStore } from 'react';
import { loadTokenInfo, onTokenInfo, tokenInfoVersion } from '../services/tokenInfo.ts';

/**
 * Reads the symbol and decimals of `addresses` from the chain; the calling component re-renders as each
 * arrives (services/tokenInfo.ts), so what it describes with them is described again.
 */
export function useTokenInfo(addresses: readonly string[]): void {
  useSyncExternalStore(onTokenInfo, tokenInfoVersion);
  const key = addresses.join(',');
  useEffect(() => {
    for (const a of key ? key.split(',') : []) loadTokenInfo(a);
  }, [key]);
}

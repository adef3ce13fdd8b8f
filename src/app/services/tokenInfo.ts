/**
 * Symbol and decimals of any ERC-20 a request touches, read from the chain (never assumed), so an
 * amount is shown in the token's own units. Reads are cached per address for the page's life; a
 * contract that doesn't answer like a token is remembered as "not a token" and shown in raw units.
 * The symbol is another contract's words: it is trimmed to a few printable characters.
 */
import { getAddress, type Address } from 'viem';
import { openChain, readErc20Info, type TokenInfo } from './chain.ts';
import { loadSettings } from './settings.ts';

const cache = new Map<Address, TokenInfo | null>();
const pending = new Set<Address>();
const listeners = new Set<() => void>();
let version = 0;

/** What this page already read about `address`: its info, null (not a token), or undefined (not yet read). */
export function knownTokenInfo(address: string): TokenInfo | null | undefined {
  return cache.get(getAddress(address));
}

/** Starts reading `address`'s symbol and decimals once; listeners hear when it arrives. */
export function loadTokenInfo(address: string): void {
  const a = getAddress(address);
  const config = loadSettings().chain;
  if (cache.has(a) || pending.has(a) || !config) return;
  pending.add(a);
  readErc20Info(openChain(config), a)
    .then(
      (info) => cache.set(a, info),
      () => cache.set(a, null),
    )
    .finally(() => {
      pending.delete(a);
      version++;
      for (const l of listeners) l();
    });
}

/** For React's useSyncExternalStore: a counter that changes whenever a read finishes. */
export const tokenInfoVersion = () => version;
export function onTokenInfo(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

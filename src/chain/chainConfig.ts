import { getAddress, isAddress, type Address } from 'viem';
import { CairnError } from '../core/errors.ts';

/** Which chain the app talks to and where Cairn's contracts are on it. */
export type CairnChainConfig = {
  rpcUrl: string;
  chainId: number;
  registry: Address | undefined;
  /** The CairnVaultFactory: vault addresses follow from the group key (`getVaultAddress`). */
  vaultFactory?: Address | undefined;
  /** The devnet's open-mint test token (absent on real chains). */
  token: Address | undefined;
  /** An ERC-4337 bundler serving EntryPoint v0.8: the vault's payments go through it. */
  bundlerUrl?: string | undefined;
  /** Devnet only: anvil itself, for the faucet (the app's RPC may be a front without accounts). */
  faucetRpcUrl?: string | undefined;
  /** A block explorer's base URL (links are `${explorerUrl}/tx/${hash}`), e.g. https://etherscan.io. */
  explorerUrl?: string | undefined;
};

/**
 * Reads the chain config that `npm start` passes to Vite (VITE_CAIRN_RPC_URL, VITE_CAIRN_CHAIN_ID,
 * VITE_CAIRN_REGISTRY, VITE_CAIRN_VAULT_FACTORY, VITE_CAIRN_TOKEN, VITE_CAIRN_BUNDLER_URL,
 * VITE_CAIRN_FAUCET_RPC_URL, VITE_CAIRN_EXPLORER_URL; scripts/start.mjs). In the app: `readChainConfig(import.meta.env)`.
 * Returns undefined when no chain is configured (e.g. a plain `vite` dev server).
 */
export function readChainConfig(env: Record<string, string | boolean | undefined>): CairnChainConfig | undefined {
  const rpcUrl = env.VITE_CAIRN_RPC_URL;
  if (typeof rpcUrl !== 'string' || rpcUrl === '') return undefined;
  const chainId = Number(env.VITE_CAIRN_CHAIN_ID);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new CairnError('BAD_PARAMETERS', 'VITE_CAIRN_CHAIN_ID must be a positive integer chain id.');
  return {
    rpcUrl,
    chainId,
    registry: optionalAddress(env.VITE_CAIRN_REGISTRY, 'VITE_CAIRN_REGISTRY'),
    vaultFactory: optionalAddress(env.VITE_CAIRN_VAULT_FACTORY, 'VITE_CAIRN_VAULT_FACTORY'),
    token: optionalAddress(env.VITE_CAIRN_TOKEN, 'VITE_CAIRN_TOKEN'),
    bundlerUrl: optionalUrl(env.VITE_CAIRN_BUNDLER_URL),
    faucetRpcUrl: optionalUrl(env.VITE_CAIRN_FAUCET_RPC_URL),
    explorerUrl: optionalUrl(env.VITE_CAIRN_EXPLORER_URL),
  };
}

function optionalAddress(value: string | boolean | undefined, name: string): Address | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw new CairnError('BAD_PARAMETERS', `${name} is not an address.`);
  return getAddress(value);
}

function optionalUrl(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

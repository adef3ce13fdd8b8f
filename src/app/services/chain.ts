/**
 * The app's view of the chain: a viem client for the configured RPC, balances, the registry's epoch
 * and events, and the devnet faucet. Nothing here needs an unlocked account: the vault pays through
 * its own user operations (vaultOperations.ts), the plain address signs its own transactions.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  http,
  numberToHex,
  parseEther,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from 'viem';
import { CairnError } from '../../core/errors.ts';
import type { CairnChainConfig } from '../../chain/chainConfig.ts';
import { cairnRegistryAbi } from '../../chain/generated/CairnRegistry.ts';
import { cairnTestTokenAbi } from '../../chain/generated/CairnTestToken.ts';

export type ChainAccess = {
  config: CairnChainConfig;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
};

/** The chain's test token (CTT), which must be configured for a token payment. */
export function tokenOf(config: CairnChainConfig): Address {
  if (!config.token) throw new CairnError('BAD_PARAMETERS', 'No token is configured on this chain.');
  return config.token;
}

export function openChain(config: CairnChainConfig): ChainAccess {
  const chain = defineChain({
    id: config.chainId,
    name: config.chainId === 31337 ? 'Cairn devnet' : `Chain ${config.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(config.rpcUrl), pollingInterval: 250 });
  return { config, chain, publicClient };
}

export type TokenInfo = { symbol: string; decimals: number };
export type Balances = { eth: bigint; token?: bigint; tokenInfo?: TokenInfo };

const tokenInfos = new WeakMap<ChainAccess, Promise<TokenInfo>>();

/** The configured token's symbol and decimals, read from the chain once per connection (never assumed). */
export function readTokenInfo(c: ChainAccess): Promise<TokenInfo> {
  const token = c.config.token;
  if (!token) return Promise.reject(new CairnError('BAD_PARAMETERS', 'No token is configured on this chain.'));
  let info = tokenInfos.get(c);
  if (!info) {
    info = readErc20Info(c, token);
    info.catch(() => tokenInfos.delete(c));
    tokenInfos.set(c, info);
  }
  return info;
}

/** Any ERC-20's symbol and decimals; refused when they are out of range (a contract's own words, shown to people). */
export async function readErc20Info(c: ChainAccess, token: Address): Promise<TokenInfo> {
  const [symbol, decimals] = await Promise.all([
    c.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' }),
    c.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' }),
  ]);
  const shown = symbol.replace(/[^\x21-\x7e]/g, '').slice(0, 16);
  if (!shown || decimals > 77) throw new CairnError('MALFORMED', 'Not a token this app can show');
  return { symbol: shown, decimals };
}

export async function readBalances(c: ChainAccess, address: Address): Promise<Balances> {
  const eth = await c.publicClient.getBalance({ address });
  if (!c.config.token) return { eth };
  const [token, tokenInfo] = await Promise.all([
    c.publicClient.readContract({ address: c.config.token, abi: erc20Abi, functionName: 'balanceOf', args: [address] }),
    readTokenInfo(c),
  ]);
  return { eth, token, tokenInfo };
}

export type RegistryWallet = { epoch: bigint; threshold: number; guardianSetHash: Hex };

/** The wallet's record in the registry, or undefined when it is not registered (yet). */
export async function readRegistryWallet(c: ChainAccess, walletId: Hex): Promise<RegistryWallet | undefined> {
  if (!c.config.registry) return undefined;
  let rec: { epoch: bigint; threshold: number; guardianSetHash: Hex; groupKeyX: bigint };
  try {
    rec = (await c.publicClient.readContract({ address: c.config.registry, abi: cairnRegistryAbi, functionName: 'getWallet', args: [walletId] })) as typeof rec;
  } catch (err) {
    // The registry reverts with UnknownWallet(walletId) for a wallet it doesn't know.
    if (err instanceof BaseError && err.walk((e) => e instanceof ContractFunctionRevertedError && e.data?.errorName === 'UnknownWallet')) return undefined;
    throw err;
  }
  if (!rec.groupKeyX) return undefined;
  return { epoch: rec.epoch, threshold: rec.threshold, guardianSetHash: rec.guardianSetHash };
}

export type RegistryEvent = { name: 'WalletRegistered' | 'EpochAdvanced'; epoch: bigint; threshold: number; blockNumber: bigint; transactionHash: Hex };

export async function readRegistryEvents(c: ChainAccess, walletId: Hex): Promise<RegistryEvent[]> {
  if (!c.config.registry) return [];
  const logs = await c.publicClient.getContractEvents({ address: c.config.registry, abi: cairnRegistryAbi, args: { walletId }, fromBlock: 0n });
  return logs.map((l) => {
    const a = l.args as { epoch?: bigint; threshold?: number };
    return {
      name: l.eventName as RegistryEvent['name'],
      epoch: a.epoch ?? 0n,
      threshold: Number(a.threshold ?? 0),
      blockNumber: l.blockNumber,
      transactionHash: l.transactionHash,
    };
  });
}

/**
 * Devnet only: gives `address` 10 ETH (anvil_setBalance) and 1000 test tokens, talking to anvil
 * itself (`faucetRpcUrl`): the app's own RPC may be a front that, like a public RPC, has no accounts.
 */
export async function devnetFaucet(c: ChainAccess, address: Address): Promise<void> {
  if (c.config.chainId !== 31337) throw new CairnError('UNSUPPORTED', 'The faucet exists only on the local devnet.');
  const transport = http(c.config.faucetRpcUrl ?? c.config.rpcUrl);
  const anvil = createPublicClient({ chain: c.chain, transport, pollingInterval: 250 });
  const current = await anvil.getBalance({ address });
  await anvil.request({ method: 'anvil_setBalance' as never, params: [address, numberToHex(current + parseEther('10'))] as never });
  if (c.config.token) {
    const [minter] = await createWalletClient({ chain: c.chain, transport }).getAddresses(); // anvil's dev account
    if (!minter) throw new CairnError('UNSUPPORTED', 'The devnet has no dev account to mint test tokens.');
    const hash = await createWalletClient({ chain: c.chain, transport, account: minter }).writeContract({
      address: c.config.token,
      abi: cairnTestTokenAbi,
      functionName: 'mint',
      args: [address, parseEther('1000')],
    });
    await anvil.waitForTransactionReceipt({ hash });
  }
}

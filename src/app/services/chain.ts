/**
 * The app's view of the chain: viem clients for the configured RPC, balances, the registry's
 * epoch and events, and the fee payer. FROST/ECDSA signatures authorise; the fee payer only pays
 * gas. On the devnet that is anvil's first unlocked account.
 */
import {
  BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, defineChain, erc20Abi, http, numberToHex, parseEther,
  type Address, type Chain, type Hex, type PublicClient, type Transport,
} from 'viem';
import { CairnError } from '../../core/errors.ts';
import type { CairnChainConfig } from '../../chain/chainConfig.ts';
import type { ChainClients } from '../../chain/clients.ts';
import { cairnRegistryAbi } from '../../chain/generated/CairnRegistry.ts';
import { cairnTestTokenAbi } from '../../chain/generated/CairnTestToken.ts';

export type ChainAccess = {
  config: CairnChainConfig;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  /** Clients with the fee-paying account (devnet: anvil's unlocked account). */
  feePayer(): Promise<ChainClients>;
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
  const transport = http(config.rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 250 });
  let payer: Promise<ChainClients> | undefined;
  return {
    config,
    chain,
    publicClient,
    feePayer() {
      payer ??= (async () => {
        const [account] = await createWalletClient({ chain, transport }).getAddresses();
        if (!account) {
          payer = undefined;
          throw new CairnError('UNSUPPORTED', 'This RPC has no account to pay gas. Use the devnet, or an RPC with an unlocked fee-paying account.');
        }
        const walletClient = createWalletClient({ chain, transport, account, pollingInterval: 250 });
        return { publicClient: publicClient as ChainClients['publicClient'], walletClient: walletClient as ChainClients['walletClient'] };
      })();
      return payer;
    },
  };
}

export type Balances = { eth: bigint; token?: bigint };

export async function readBalances(c: ChainAccess, address: Address): Promise<Balances> {
  const eth = await c.publicClient.getBalance({ address });
  const token = c.config.token
    ? await c.publicClient.readContract({ address: c.config.token, abi: erc20Abi, functionName: 'balanceOf', args: [address] })
    : undefined;
  return { eth, token };
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
    return { name: l.eventName as RegistryEvent['name'], epoch: a.epoch ?? 0n, threshold: Number(a.threshold ?? 0), blockNumber: l.blockNumber, transactionHash: l.transactionHash };
  });
}

/** Devnet only: gives `address` 10 ETH (anvil_setBalance) and 1000 test tokens. */
export async function devnetFaucet(c: ChainAccess, address: Address): Promise<void> {
  const current = await c.publicClient.getBalance({ address });
  await c.publicClient.request({ method: 'anvil_setBalance' as never, params: [address, numberToHex(current + parseEther('10'))] as never });
  if (c.config.token) {
    const { walletClient, publicClient } = await c.feePayer();
    const hash = await walletClient.writeContract({ address: c.config.token, abi: cairnTestTokenAbi, functionName: 'mint', args: [address, parseEther('1000')], account: walletClient.account, chain: walletClient.chain });
    await publicClient.waitForTransactionReceipt({ hash });
  }
}

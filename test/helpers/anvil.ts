/**
 * One real anvil per test file: spawned on a free port with the hardfork the contracts are compiled
 * for, viem clients on top, torn down in afterAll. Never a mock chain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { freePort } from '../../scripts/services.mjs';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { evmVersion } from '../../src/chain/generated/index.ts';

const require = createRequire(import.meta.url);

export type AnvilNode = {
  rpcUrl: string;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  /** Funded dev accounts (unlocked in anvil), used through eth_sendTransaction. */
  accounts: readonly Address[];
  /** A wallet client for dev account `index` (default 0). */
  walletClient(index?: number): WalletClient<Transport, Chain, Account>;
  testClient: TestClient<'anvil', Transport, Chain>;
  stop(): Promise<void>;
};

export function anvilBinaryPath(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/anvil${process.platform === 'win32' ? '.exe' : ''}`);
}

async function waitForRpc(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('anvil did not answer within 30 s');
}

export async function startAnvil({ chainId = 31337 }: { chainId?: number } = {}): Promise<AnvilNode> {
  const port = await freePort();
  const child = spawn(anvilBinaryPath(), ['--port', String(port), '--host', '127.0.0.1', '--chain-id', String(chainId), '--hardfork', evmVersion, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // If the test process dies before afterAll, take anvil with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForRpc(rpcUrl, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const chain = defineChain({
    id: chainId,
    name: 'Anvil (test)',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 });
  const accounts = await createWalletClient({ chain, transport }).getAddresses();
  return {
    rpcUrl,
    chain,
    publicClient,
    accounts,
    walletClient: (index = 0) => createWalletClient({ chain, transport, account: accounts[index]!, pollingInterval: 20 }),
    testClient: createTestClient({ chain, transport, mode: 'anvil', pollingInterval: 20 }),
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

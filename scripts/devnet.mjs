#!/usr/bin/env node
// The local chain for `npm start` and the browser tests: a real anvil (from npm's @foundry-rs/anvil)
// whose state survives restarts (--state), with ERC-4337's EntryPoint v0.8 (canonical address),
// CairnRegistry, CairnVaultFactory and the test token deployed once and their addresses recorded next to the state (.devnet/state.contracts.json).
// `node scripts/devnet.mjs` runs it alone (CAIRN_ANVIL_PORT, CAIRN_DEVNET_STATE = state file path).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEntryPoint } from './entryPoint.mjs';
import { startService, waitForHttp } from './services.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The hardfork the contracts are compiled for (scripts/build-contracts.mjs EVM_VERSION). */
const HARDFORK = 'prague';

/** The anvil binary shipped by @foundry-rs/anvil's per-platform optional dependency. */
export function anvilBinaryPath() {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const exe = process.platform === 'win32' ? '.exe' : '';
  try {
    return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/anvil${exe}`);
  } catch {
    throw new Error(`no anvil binary for ${process.platform}-${arch}: run npm install (package @foundry-rs/anvil-${process.platform}-${arch})`);
  }
}

/**
 * Starts anvil on `port` (through services.mjs, so Ctrl-C stops it with everything else), deploys
 * the registry, vault factory and test token unless the recorded addresses already hold code,
 * writes the config and returns it: { rpcUrl, chainId, registry, vaultFactory, token }.
 * `stateFile: null` gives a fresh chain every time (the browser tests use that).
 */
export async function startDevnet({ port = 8545, chainId = 31337, stateFile = join(root, '.devnet', 'state.json') } = {}) {
  if (stateFile) mkdirSync(dirname(stateFile), { recursive: true });
  const args = ['--port', String(port), '--host', '127.0.0.1', '--chain-id', String(chainId), '--hardfork', HARDFORK, '--silent'];
  if (stateFile) args.push('--state', stateFile, '--state-interval', '5'); // also dumped on exit
  startService('anvil', anvilBinaryPath(), args, { quiet: true });
  const rpcUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(rpcUrl, { rpc: true });

  // The addresses live next to the chain state they belong to (state.json ↔ state.contracts.json).
  const recordPath = stateFile ? join(dirname(stateFile), `${basename(stateFile, '.json')}.contracts.json`) : undefined;
  const recorded = recordPath && existsSync(recordPath) ? JSON.parse(readFileSync(recordPath, 'utf8')) : {};
  const contracts = await ensureContracts({ rpcUrl, chainId, recorded });
  const config = { rpcUrl, chainId, ...contracts };
  if (recordPath) writeFileSync(recordPath, JSON.stringify(config, null, 2) + '\n');
  return config;
}

async function ensureContracts({ rpcUrl, chainId, recorded }) {
  // The chain helpers are TypeScript (src/chain); tsx loads them without a build step.
  const { tsImport } = await import('tsx/esm/api');
  const load = (p) => tsImport(join(root, p), import.meta.url);
  const [{ deployRegistry }, { deployVaultFactory }, { deployTestToken }, viem] = await Promise.all([
    load('src/chain/deployRegistry.ts'),
    load('src/chain/deployVaultFactory.ts'),
    load('src/chain/deployTestToken.ts'),
    import('viem'),
  ]);
  const chain = viem.defineChain({
    id: chainId,
    name: 'Cairn devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = viem.http(rpcUrl);
  const publicClient = viem.createPublicClient({ chain, transport, pollingInterval: 50 });
  const [deployer] = await viem.createWalletClient({ chain, transport }).getAddresses(); // anvil's unlocked dev account
  const walletClient = viem.createWalletClient({ chain, transport, account: deployer, pollingInterval: 50 });
  const hasCode = async (address) => viem.isAddress(address ?? '') && (await publicClient.getCode({ address }))?.length > 2;

  await ensureEntryPoint({ publicClient, walletClient }); // canonical v0.8, for the vault's user operations
  const registry = (await hasCode(recorded.registry)) ? recorded.registry : (await deployRegistry({ publicClient, walletClient })).address;
  const vaultFactory = (await hasCode(recorded.vaultFactory)) ? recorded.vaultFactory : (await deployVaultFactory({ publicClient, walletClient })).address;
  const token = (await hasCode(recorded.token)) ? recorded.token : (await deployTestToken({ publicClient, walletClient })).address;
  return { registry: viem.getAddress(registry), vaultFactory: viem.getAddress(vaultFactory), token: viem.getAddress(token) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { onShutdown, stopAll } = await import('./services.mjs');
  onShutdown();
  try {
    const config = await startDevnet({
      port: Number(process.env.CAIRN_ANVIL_PORT ?? 8545),
      ...(process.env.CAIRN_DEVNET_STATE ? { stateFile: process.env.CAIRN_DEVNET_STATE } : {}),
    });
    console.log(`\n  Cairn devnet is running.\n\n${JSON.stringify(config, null, 2)}\n\n  Press Ctrl-C to stop it.\n`);
  } catch (err) {
    console.error(`[cairn] devnet could not start: ${err instanceof Error ? err.message : err}`);
    stopAll(1);
  }
}

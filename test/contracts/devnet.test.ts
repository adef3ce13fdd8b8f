/**
 * The devnet script as `npm start` uses it: a real anvil, contracts deployed once, state kept
 * across a restart (Ctrl-C), addresses reused instead of redeployed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../scripts/services.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, type Address } from 'viem';
import { zeroAddress } from 'viem';
import { entryPoint08Abi, entryPoint08Address } from 'viem/account-abstraction';
import { afterAll, describe, expect, it } from 'vitest';
import { cairnRegistryAbi, cairnTestTokenAbi } from '../../src/chain/generated/index.ts';

const holder: Address = '0x000000000000000000000000000000000000c0de';

const dir = mkdtempSync(join(tmpdir(), 'cairn-devnet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type DevnetConfig = { rpcUrl: string; chainId: number; registry: Address; vaultFactory: Address; token: Address };

/** Runs `node scripts/devnet.mjs` until it prints its config, calls `use`, then stops it with SIGINT. */
async function withDevnet<T>(port: number, use: (config: DevnetConfig) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['scripts/devnet.mjs'], {
    env: { ...process.env, CAIRN_ANVIL_PORT: String(port), CAIRN_DEVNET_STATE: join(dir, 'state.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const config = await new Promise<DevnetConfig>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /\{[\s\S]*\}/.exec(out);
        if (match) resolve(JSON.parse(match[0]));
      });
      child.once('exit', () => reject(new Error(`devnet exited early:\n${out}`)));
    });
    return await use(config);
  } finally {
    child.kill('SIGINT'); // what Ctrl-C sends
    expect(await exited).toBe(0);
  }
}

describe('devnet (scripts/devnet.mjs)', () => {
  it('deploys the registry, vault factory and token once, and keeps chain state across a restart', async () => {
    const port = await freePort();
    const client = (rpcUrl: string) => createPublicClient({ transport: http(rpcUrl) });
    const first = await withDevnet(port, async (config) => {
      const c = client(config.rpcUrl);
      expect(config.chainId).toBe(31337);
      expect(await c.getChainId()).toBe(31337);
      expect((await c.getCode({ address: config.token }))?.length).toBeGreaterThan(2);
      expect((await c.getCode({ address: config.vaultFactory }))?.length).toBeGreaterThan(2);
      // EntryPoint v0.8 where public chains have it, with its immutables set (deployed, not copied).
      expect(await c.readContract({ address: entryPoint08Address, abi: entryPoint08Abi, functionName: 'senderCreator' })).not.toBe(zeroAddress);
      expect(await c.readContract({ address: config.registry, abi: cairnRegistryAbi, functionName: 'isRegistered', args: [`0x${'00'.repeat(32)}`] })).toBe(
        false,
      );
      // A change after deployment, so a fresh redeploy could not pass for persisted state.
      const [dev] = await createWalletClient({ transport: http(config.rpcUrl) }).getAddresses();
      const wallet = createWalletClient({ transport: http(config.rpcUrl), account: dev! });
      const hash = await wallet.writeContract({ address: config.token, abi: cairnTestTokenAbi, functionName: 'mint', args: [holder, 42n], chain: null });
      await c.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      return { config, block: await c.getBlockNumber() };
    });
    await withDevnet(port, async (config) => {
      expect(config).toEqual(first.config);
      const c = client(config.rpcUrl);
      expect(await c.getBlockNumber()).toBe(first.block); // nothing redeployed
      expect(await c.readContract({ address: config.token, abi: cairnTestTokenAbi, functionName: 'balanceOf', args: [holder] })).toBe(42n);
    });
  }, 180_000); // two node + anvil start-ups: slow when the shared machine is loaded
});

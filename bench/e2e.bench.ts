/**
 * End-to-end figures in real Chromium over real WebRTC (3 guardians, 2-of-3, separate browser
 * contexts, virtual passkeys with PRF), through the same harness and driver as
 * e2e/guardians.spec.ts:
 *   e2e.3guardians.dkgMs  — DKG start (all joined) → every guardian holds its confirmed share
 *   e2e.3guardians.joinToReadyMs — the last join call → ready (adds its WebRTC connection set-up)
 *   e2e.3guardians.signMs — last approval → aggregated signature at the requester
 * Starts its own app, signaling server and fresh anvil (scripts/start.mjs) on free ports; if they
 * don't come up, the error says why (their own output).
 */
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { createWalletAcross, openGuardianPage, signAcross } from '../e2e/harness/guardian.driver.ts';
import { freePort, median } from './util.ts';

// Same browser and flags as playwright.config.ts (scripts/chromium.mjs).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection',
];

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

export async function run(): Promise<Record<string, number>> {
  const [appPort, signalingPort, anvilPort] = [await freePort(), await freePort(), await freePort()];
  const servers = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env, CAIRN_APP_PORT: String(appPort), CAIRN_SIGNALING_PORT: String(signalingPort), CAIRN_ANVIL_PORT: String(anvilPort),
      CAIRN_DEVNET_FRESH: '1', // not the `npm start` chain's state file
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [servers.stdout, servers.stderr]) stream.on('data', (chunk) => (output += chunk));
  const stopped = new Promise<never>((_, reject) =>
    servers.once('exit', (code, signal) => reject(new Error(`scripts/start.mjs stopped (${signal ?? `exit ${code}`}):\n${output}`))));
  stopped.catch(() => {}); // after the run, stopping it is expected
  const baseURL = `http://localhost:${appPort}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const dkg: number[] = [];
  const joinToReady: number[] = [];
  const sign: number[] = [];
  try {
    await Promise.race([stopped, waitForHttp(`${baseURL}/`).catch((err: Error) => Promise.reject(new Error(`${err.message}; its output:\n${output}`)))]);
    for (let round = 0; round < 4; round++) {
      const guardians = [await openGuardianPage(browser, baseURL), await openGuardianPage(browser, baseURL), await openGuardianPage(browser, baseURL)];
      for (const g of guardians) await g.call('setUp');
      const wallet = await createWalletAcross(guardians, 2);
      const [a, b, c] = guardians;
      const samples = [];
      for (let k = 0; k < 4; k++) samples.push((await signAcross(a!, [k % 2 ? b! : c!], `bench ${round}.${k}`)).signMs);
      // The first run warms Vite's module graph and the JIT; it is not counted.
      if (round > 0) {
        dkg.push(wallet.dkgMs);
        joinToReady.push(wallet.joinToReadyMs);
        sign.push(...samples.slice(1));
      }
      for (const g of guardians) await g.context.close();
    }
  } finally {
    await browser.close();
    servers.kill('SIGTERM');
  }
  return { 'e2e.3guardians.dkgMs': median(dkg), 'e2e.3guardians.signMs': median(sign), 'e2e.3guardians.joinToReadyMs': median(joinToReady) };
}

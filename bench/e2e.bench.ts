/**
 * End-to-end figures in real Chromium over real WebRTC (3 guardians, 2-of-3, separate browser
 * contexts, virtual passkeys with PRF), through the same harness and driver as
 * e2e/guardians.spec.ts:
 *   e2e.3guardians.dkgMs  — DKG start (all joined) → every guardian holds its confirmed share
 *   e2e.3guardians.joinToReadyMs — the last join call → ready (adds its WebRTC connection set-up)
 *   e2e.3guardians.signMs — last approval → aggregated signature at the requester
 *   e2e.3guardians.signMs.relay — the same, with every connection relay-only through a TURN
 *     relay (coturn on loopback; the creator's ICE config, which its invites carry to the others)
 *   app.firstScreenMs — a new visitor: navigation → the welcome screen's first button (firstScreen.ts)
 * Starts its own app (the production build, with the harness pages), signaling server and coturn
 * (scripts/start.mjs) on free ports; the TURN port and relay range follow CAIRN_E2E_TURN_* as in
 * playwright.config.ts. Direct and relayed wallets alternate in one run, so the two sign figures
 * share the machine's load. If the services don't come up, the error says why (their own output).
 */
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { createWalletAcross, openGuardianPage, signAcross, type GuardianPage } from '../e2e/harness/guardian.driver.ts';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { testRelayIce } from '../scripts/turn.mjs';
import { firstScreenMs } from './firstScreen.ts';
import { freePort, median } from './util.ts';

async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
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

/** A relay figure must come from relayed connections: every selected candidate pair relay ↔ relay (polled: the answering side may not have picked its pair yet). */
async function expectRelayOnly(guardians: GuardianPage[]): Promise<void> {
  for (const g of guardians) {
    let pairs: ({ local: string; remote: string } | undefined)[] = [];
    for (let tries = 0; tries < 50; tries++) {
      pairs = Object.values(await g.call<Record<string, { local: string; remote: string } | undefined>>('candidatePairs'));
      if (pairs.length === guardians.length - 1 && pairs.every((p) => p?.local === 'relay' && p.remote === 'relay')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!pairs.every((p) => p?.local === 'relay' && p.remote === 'relay')) throw new Error(`relay round not relayed: ${JSON.stringify(pairs)}`);
  }
}

export async function run(): Promise<Record<string, number>> {
  const [appPort, signalingPort, anvilPort] = [await freePort(), await freePort(), await freePort()];
  const turnPort = Number(process.env.CAIRN_E2E_TURN_PORT ?? 3478);
  const servers = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      CAIRN_APP_PORT: String(appPort),
      CAIRN_SIGNALING_PORT: String(signalingPort),
      CAIRN_ANVIL_PORT: String(anvilPort),
      CAIRN_DEVNET_FRESH: '1',
      CAIRN_TURN_PORT: String(turnPort),
      CAIRN_TURN_MIN_PORT: process.env.CAIRN_E2E_TURN_MIN_PORT ?? '49160',
      CAIRN_TURN_MAX_PORT: process.env.CAIRN_E2E_TURN_MAX_PORT ?? '49200',
      CAIRN_BUILD_DIR: `.build/bench`,
      CAIRN_BUILD_HARNESS: '1',
      CAIRN_BUNDLER_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [servers.stdout, servers.stderr]) stream.on('data', (chunk) => (output += chunk));
  const stopped = new Promise<never>((_, reject) =>
    servers.once('exit', (code, signal) => reject(new Error(`scripts/start.mjs stopped (${signal ?? `exit ${code}`}):\n${output}`))),
  );
  stopped.catch(() => {}); // after the run, stopping it is expected
  const baseURL = `http://localhost:${appPort}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const dkg: number[] = [];
  const joinToReady: number[] = [];
  const sign: number[] = [];
  const signRelay: number[] = [];
  const firstScreen: number[] = [];
  try {
    await Promise.race([stopped, waitForHttp(`${baseURL}/`).catch((err: Error) => Promise.reject(new Error(`${err.message}; its output:\n${output}`)))]);
    for (let k = 0; k < 6; k++) firstScreen.push(await firstScreenMs(browser, baseURL));
    for (let round = 0; round < 8; round++) {
      const relay = round % 2 === 1;
      const creator = await openGuardianPage(browser, baseURL, relay ? { ice: testRelayIce(turnPort) } : {});
      const guardians = [creator, await openGuardianPage(browser, baseURL), await openGuardianPage(browser, baseURL)];
      for (const g of guardians) await g.call('setUp');
      const wallet = await createWalletAcross(guardians, 2);
      const [a, b, c] = guardians;
      const samples = [];
      for (let k = 0; k < 4; k++) samples.push((await signAcross(a!, [k % 2 ? b! : c!], `bench ${round}.${k}`)).signMs);
      if (relay) await expectRelayOnly(guardians);
      // The first run of each kind warms the browser's caches and the JIT; it is not counted.
      if (round > 1 && relay) signRelay.push(...samples.slice(1));
      if (round > 1 && !relay) {
        dkg.push(wallet.dkgMs);
        joinToReady.push(wallet.joinToReadyMs);
        sign.push(...samples.slice(1));
      }
      // Leave the rooms first: closed connections give their relay allocations back to coturn.
      for (const g of guardians) await g.call('close');
      for (const g of guardians) await g.context.close();
    }
  } finally {
    await browser.close();
    servers.kill('SIGTERM');
  }
  return {
    'e2e.3guardians.dkgMs': median(dkg),
    'e2e.3guardians.signMs': median(sign),
    'e2e.3guardians.signMs.relay': median(signRelay),
    'e2e.3guardians.joinToReadyMs': median(joinToReady),
    'app.firstScreenMs': median(firstScreen.slice(1)),
  };
}

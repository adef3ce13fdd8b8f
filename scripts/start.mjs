#!/usr/bin/env node
// `npm start`: everything Cairn needs, on this machine, with one command — the production build of
// the app (service worker active) served by `vite preview`. `npm run dev` (`--dev`) serves the
// sources through Vite's dev server instead, with hot reload.
import { startService, stopAll, onShutdown, waitForHttp, signalingServerPath, assertPortFree, runToEnd } from './services.mjs';
import { startDevnet } from './devnet.mjs';
import { startDevBundler } from './bundler.mjs';
import { startTurn } from './turn.mjs';

const dev = process.argv.includes('--dev');
const appPort = Number(process.env.CAIRN_APP_PORT ?? 5173);
const signalingPort = Number(process.env.CAIRN_SIGNALING_PORT ?? 4444);
const anvilPort = Number(process.env.CAIRN_ANVIL_PORT ?? 8545);
const bundlerPort = Number(process.env.CAIRN_BUNDLER_PORT ?? 14337);
// Where the build goes; the e2e fixture builds elsewhere (with its harness pages) so it never mixes with `npm start`'s.
const outDir = process.env.CAIRN_BUILD_DIR ?? 'dist';
const vite = 'node_modules/vite/bin/vite.js';

onShutdown();
try {
  // Before anything starts: a busy port is named with the variable that moves it (and the app port
  // must not be someone else's server that would answer "Cairn is running").
  await assertPortFree(appPort, 'CAIRN_APP_PORT');
  await assertPortFree(signalingPort, 'CAIRN_SIGNALING_PORT');
  if (!process.env.CAIRN_RPC_URL) await assertPortFree(anvilPort, 'CAIRN_ANVIL_PORT');
  if (!process.env.CAIRN_RPC_URL && !process.env.CAIRN_BUNDLER_URL) await assertPortFree(bundlerPort, 'CAIRN_BUNDLER_PORT');
  if (process.env.CAIRN_TURN_PORT) await assertPortFree(Number(process.env.CAIRN_TURN_PORT), 'CAIRN_TURN_PORT');
  startService('signaling', process.execPath, [signalingServerPath()], {
    env: { PORT: String(signalingPort), HOST: '127.0.0.1' },
    quiet: true,
  });
  // A TURN relay on loopback (coturn) when CAIRN_TURN_PORT is set: the e2e tests' relay-only run.
  if (process.env.CAIRN_TURN_PORT) {
    await startTurn({
      port: Number(process.env.CAIRN_TURN_PORT),
      minPort: Number(process.env.CAIRN_TURN_MIN_PORT ?? 49160),
      maxPort: Number(process.env.CAIRN_TURN_MAX_PORT ?? 49200),
    });
  }
  // CAIRN_RPC_URL (+ CAIRN_CHAIN_ID, CAIRN_REGISTRY, CAIRN_VAULT_FACTORY, CAIRN_TOKEN, CAIRN_BUNDLER_URL) points the app at another chain;
  // otherwise a local anvil devnet (state in .devnet/, fresh when CAIRN_DEVNET_FRESH=1).
  const chain = process.env.CAIRN_RPC_URL
    ? {
        rpcUrl: process.env.CAIRN_RPC_URL,
        chainId: process.env.CAIRN_CHAIN_ID ?? '',
        registry: process.env.CAIRN_REGISTRY ?? '',
        vaultFactory: process.env.CAIRN_VAULT_FACTORY ?? '',
        token: process.env.CAIRN_TOKEN ?? '',
      }
    : await startDevnet({ port: anvilPort, ...(process.env.CAIRN_DEVNET_FRESH === '1' ? { stateFile: null } : {}) });
  // The vault pays through an ERC-4337 bundler: CAIRN_BUNDLER_URL (any bundler serving EntryPoint
  // v0.8), else alto beside the devnet (scripts/bundler.mjs).
  const bundlerUrl = process.env.CAIRN_BUNDLER_URL ?? (process.env.CAIRN_RPC_URL ? '' : await startDevBundler({ rpcUrl: chain.rpcUrl, port: bundlerPort }));
  // CAIRN_RPC_FRONT=1 (the browser tests): the app talks to a front without accounts, like a public
  // RPC (scripts/rpcFront.mjs); only the devnet faucet talks to anvil itself.
  const appRpcUrl =
    process.env.CAIRN_RPC_FRONT === '1' && !process.env.CAIRN_RPC_URL
      ? (await (await import('./rpcFront.mjs')).startRpcFront({ target: chain.rpcUrl })).url
      : chain.rpcUrl;
  // Build-time configuration of the app (a static host gets the same through its build's environment).
  const appEnv = {
    VITE_SIGNALING_URLS: `ws://localhost:${signalingPort}`,
    VITE_CAIRN_RPC_URL: appRpcUrl,
    VITE_CAIRN_FAUCET_RPC_URL: process.env.CAIRN_RPC_URL ? '' : chain.rpcUrl,
    VITE_CAIRN_CHAIN_ID: String(chain.chainId),
    VITE_CAIRN_REGISTRY: chain.registry,
    VITE_CAIRN_VAULT_FACTORY: chain.vaultFactory,
    VITE_CAIRN_TOKEN: chain.token,
    VITE_CAIRN_BUNDLER_URL: bundlerUrl,
    VITE_CAIRN_EXPLORER_URL: process.env.CAIRN_EXPLORER_URL ?? '',
  };
  if (dev) {
    startService('app', process.execPath, [vite, '--port', String(appPort), '--host', 'localhost', '--logLevel', 'warn'], { env: appEnv });
  } else {
    await runToEnd('build', process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { env: appEnv });
    startService('app', process.execPath, [
      vite,
      'preview',
      '--outDir',
      outDir,
      '--port',
      String(appPort),
      '--host',
      'localhost',
      '--strictPort',
      '--logLevel',
      'warn',
    ]);
  }
  await waitForHttp(`http://localhost:${appPort}/`);
  console.log(`
  Cairn is running (${dev ? 'dev server, hot reload' : 'production build'}).

    App:        http://localhost:${appPort}/
    Signaling:  ws://localhost:${signalingPort}
    Chain:      ${chain.rpcUrl} (chain id ${chain.chainId}, registry ${chain.registry || 'none'})
    Bundler:    ${bundlerUrl || 'none (set CAIRN_BUNDLER_URL)'}

  Try it with three guardians: open the app in three separate browser profiles (windows of one
  profile share storage), "Create a wallet" in the first and open its invite links in the others.

  Press Ctrl-C to stop everything.
`);
} catch (err) {
  console.error(`[cairn] could not start: ${err instanceof Error ? err.message : err}`);
  stopAll(1);
}

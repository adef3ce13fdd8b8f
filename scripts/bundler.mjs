// A real ERC-4337 bundler (alto, from npm's @pimlico/alto) beside the dev chain, pointed at the
// canonical EntryPoint v0.8. `npm start` runs it through services.mjs (stopped with the rest);
// the tests spawn their own with `spawnBundler` on a free port. Real chains use any bundler URL.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { freePort } from './services.mjs';
import { fileURLToPath } from 'node:url';
import { ENTRY_POINT_V08 } from './entryPoint.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** alto's own entry script (run with node directly: killing an `npx alto` leaves alto running). */
const ALTO = join(root, 'node_modules', '@pimlico', 'alto', 'esm', 'cli', 'alto.js');

// anvil's well-known dev keys #8 (submits bundles) and #9 (alto's utility account: deploys its
// simulation helpers at start-up). Dev chains only; nothing else in Cairn uses these accounts.
export const DEV_BUNDLER_EXECUTOR_KEY = '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97';
export const DEV_BUNDLER_UTILITY_KEY = '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6';

/** The command line that runs alto for the dev chain at `rpcUrl` on `port`. */
export function bundlerCommand({ rpcUrl, port }) {
  return [
    process.execPath,
    [
      ALTO,
      '--entrypoints',
      ENTRY_POINT_V08,
      '--rpc-url',
      rpcUrl,
      '--executor-private-keys',
      DEV_BUNDLER_EXECUTOR_KEY,
      '--utility-private-key',
      DEV_BUNDLER_UTILITY_KEY,
      '--safe-mode',
      'false', // anvil has no debug_traceCall tracer alto's safe mode needs
      '--block-time',
      '250',
      // Guardians approve by hand: accept the gas prices it quoted for 10 minutes (default 20 s).
      '--gas-price-expiry',
      '600',
      '--port',
      String(port),
      '--log-level',
      'warn',
    ],
  ];
}

/** Resolves when the bundler answers eth_supportedEntryPoints; rejects if `child` exits first. */
export async function waitForBundler(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`bundler exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_supportedEntryPoints', params: [] }),
      });
      if (res.ok && Array.isArray((await res.json()).result)) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bundler at ${url} did not come up within ${timeoutMs} ms`);
}

/** Spawns alto for tests on a free port; `stop()` ends it. The EntryPoint must already be deployed. */
export async function spawnBundler({ rpcUrl, port }) {
  const chosen = port ?? (await freePort());
  const [command, args] = bundlerCommand({ rpcUrl, port: chosen });
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${chosen}`;
  try {
    await waitForBundler(url, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `npm start`: alto for the devnet at `rpcUrl`, as a service stopped with the rest (services.mjs),
 * on a free internal port behind a CORS front on `port` (alto sends no CORS headers, and the app
 * calls the bundler from the browser). Resolves to the front's URL once alto answers.
 */
export async function startDevBundler({ rpcUrl, port }) {
  const [{ startService }, { startRpcFront }] = await Promise.all([import('./services.mjs'), import('./rpcFront.mjs')]);
  const internal = await freePort();
  const [command, args] = bundlerCommand({ rpcUrl, port: internal });
  const child = startService('bundler', command, args, { quiet: true });
  await waitForBundler(`http://127.0.0.1:${internal}`, child);
  const front = await startRpcFront({ target: `http://127.0.0.1:${internal}`, port, refuseAccounts: false });
  return front.url;
}

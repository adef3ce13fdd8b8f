// Spawns the local services Cairn needs (signaling, app; anvil joins with the contracts) and
// stops them together. Used by `npm start` and by Playwright's webServer.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starts a child process that inherits nothing secret and is killed with the group. */
export function startService(name, command, args, { env = {}, quiet = false } = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[cairn] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); shutting down.`);
      stopAll(1);
    }
  });
  children.push({ name, child });
  return child;
}

/** Runs a command to its end (output passed through); rejects unless it exits 0. */
export function runToEnd(name, command, args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? `exit ${code}`})`))));
  });
}

const children = [];
let stopping = false;

export function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code; // also when nothing was running to keep the process alive until the timer
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 300).unref();
}

export function onShutdown() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));
}

/** Waits until `url` answers any HTTP response (or a JSON-RPC POST when `rpc` is set). */
export async function waitForHttp(url, { timeoutMs = 30_000, rpc = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(
        url,
        rpc
          ? {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
            }
          : {},
      );
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for services and tests started side by side). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fails, naming the port and the variable that moves it, when something already listens on `port`
 * (on any address): otherwise a service dies with a bare "address in use", or — for the app —
 * someone else's server answers in its place.
 */
export async function assertPortFree(port, variable) {
  const busy = await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(true) : reject(err)));
    // No host: the IPv4 and IPv6 wildcard, which clashes with a listener on any local address.
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
  if (busy) throw new Error(`port ${port} is busy: set ${variable} to another port`);
}

export function signalingServerPath() {
  // y-webrtc's package exports hide bin/; resolve it next to the package manifest.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'y-webrtc', 'bin', 'server.js');
}

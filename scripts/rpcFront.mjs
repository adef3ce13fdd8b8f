// A test-only JSON-RPC front for anvil that behaves like a public RPC: it answers reads and accepts
// signed raw transactions, but has no accounts — `eth_accounts` is [], and `eth_sendTransaction`,
// `eth_sign*`, `personal_*`, `anvil_*`, `evm_*`, `hardhat_*` and `debug_*` are refused. The e2e
// journey, EOA and vault-policy specs and the chain tests point the app at it; only the devnet faucet
// and the bundler talk to anvil directly. `node scripts/rpcFront.mjs` runs it alone
// (CAIRN_RPC_FRONT_PORT, CAIRN_RPC_FRONT_TARGET).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const REFUSED_PREFIXES = ['anvil_', 'evm_', 'hardhat_', 'debug_', 'personal_', 'admin_', 'miner_', 'txpool_', 'ots_'];
const REFUSED = new Set(['eth_sendTransaction', 'eth_sign', 'eth_signTransaction', 'eth_signTypedData', 'eth_signTypedData_v3', 'eth_signTypedData_v4']);

/** Whether a public RPC would refuse `method` (no unlocked accounts, no node control). */
export function isRefused(method) {
  return typeof method !== 'string' || REFUSED.has(method) || REFUSED_PREFIXES.some((p) => method.startsWith(p));
}

function answer(call, refusedLog, refuseAccounts) {
  if (!refuseAccounts) return undefined;
  if (call?.method === 'eth_accounts') return { jsonrpc: '2.0', id: call.id ?? null, result: [] };
  if (isRefused(call?.method)) {
    refusedLog.push(String(call?.method));
    return { jsonrpc: '2.0', id: call?.id ?? null, error: { code: -32601, message: `the method ${call?.method} does not exist/is not available` } };
  }
  return undefined;
}

/**
 * Starts the front on `port` (0: a free one) forwarding allowed calls to `target`. Resolves to
 * { url, refused, stop } — `refused` lists every method it turned away (tests assert on it).
 * With `refuseAccounts: false` it only adds CORS headers (the devnet's alto has none; browsers need them).
 */
export async function startRpcFront({ target, port = 0, host = '127.0.0.1', refuseAccounts = true }) {
  const refused = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      res
        .writeHead(400, { 'content-type': 'application/json', ...cors })
        .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
      return;
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    const local = calls.map((c) => answer(c, refused, refuseAccounts));
    const forward = calls.filter((_, i) => !local[i]);
    let remote = [];
    if (forward.length) {
      const payload = Array.isArray(parsed) ? forward : forward[0];
      try {
        const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        remote = await upstream.json();
      } catch (err) {
        res
          .writeHead(502, { 'content-type': 'application/json', ...cors })
          .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: `upstream: ${err?.message ?? err}` } }));
        return;
      }
      if (!Array.isArray(remote)) remote = [remote];
    }
    const byId = new Map(remote.map((r) => [JSON.stringify(r.id), r]));
    const out = calls.map(
      (c, i) => local[i] ?? byId.get(JSON.stringify(c.id)) ?? { jsonrpc: '2.0', id: c.id ?? null, error: { code: -32603, message: 'no answer' } },
    );
    res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(Array.isArray(parsed) ? out : out[0]));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}`;
  return { url, refused, stop: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}

const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST, OPTIONS' };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const front = await startRpcFront({
    target: process.env.CAIRN_RPC_FRONT_TARGET ?? 'http://127.0.0.1:8545',
    port: Number(process.env.CAIRN_RPC_FRONT_PORT ?? 8546),
  });
  console.log(`RPC front on ${front.url} (no accounts) → ${process.env.CAIRN_RPC_FRONT_TARGET ?? 'http://127.0.0.1:8545'}`);
}

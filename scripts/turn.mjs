// A TURN relay on loopback for the e2e tests and benchmarks: Debian's coturn (`apt-get install
// coturn`; `.ci/run` installs it). Never downloaded. Relays see only DTLS ciphertext.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { startService } from './services.mjs';
import { ensureDebianPackage } from './debianPackage.mjs';

export const turnserverPath = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';
export const hasTurnserver = () => existsSync(turnserverPath);
export const turnHint =
  `coturn (turnserver) was not found at ${turnserverPath}; the relay-only e2e test needs it.\n` +
  `Install it with:  sudo apt-get install -y coturn\n` +
  `(or set TURNSERVER_PATH).`;

/** Makes sure the relay-only e2e test has coturn (installs Debian's package when it can). */
export const ensureTurnserver = () =>
  ensureDebianPackage({ pkg: 'coturn', has: hasTurnserver, hint: turnHint, overridden: Boolean(process.env.TURNSERVER_PATH) });

/** The loopback test credential (the relay accepts no other address, so it guards nothing real). */
export const TEST_TURN_USER = 'cairn';
export const TEST_TURN_PASSWORD = 'cairn-test-relay';

/**
 * The ICE config a browser uses to reach the test relay, relay-only. One URL (udp): each URL costs
 * a relay port per connection, and the e2e runs share a small port range.
 */
export function testRelayIce(port) {
  return {
    iceServers: [{ urls: [`turn:127.0.0.1:${port}?transport=udp`], username: TEST_TURN_USER, credential: TEST_TURN_PASSWORD }],
    iceTransportPolicy: 'relay',
  };
}

/**
 * Starts coturn on 127.0.0.1:`port`, relaying through ports `minPort`..`maxPort` on 127.0.0.1.
 * `--allow-loopback-peers` is essential: without it coturn refuses permissions to loopback peers
 * (403, visible only with -v) and ICE fails silently. `-n` skips /etc/turnserver.conf.
 */
export async function startTurn({ port, minPort, maxPort }) {
  startService(
    'turn',
    turnserverPath,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${maxPort}`,
      '--lt-cred-mech',
      `--user=${TEST_TURN_USER}:${TEST_TURN_PASSWORD}`,
      '--realm=cairn.test',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--allow-loopback-peers',
      '--fingerprint',
      '--no-stdout-log',
      '--log-file=/dev/null',
      '--pidfile=/dev/null',
    ],
    { quiet: true },
  );
  await waitForTcp(port);
}

async function waitForTcp(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const up = await new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`TURN relay on 127.0.0.1:${port} did not come up within ${timeoutMs} ms`);
}

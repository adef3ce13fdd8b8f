import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

// Ports distinct from `npm start`'s defaults so tests can run beside a dev session.
// CAIRN_E2E_*_PORT move a whole run elsewhere (e.g. two runs side by side on one machine).
export const APP_PORT = Number(process.env.CAIRN_E2E_APP_PORT ?? 5273);
export const SIGNALING_PORT = Number(process.env.CAIRN_E2E_SIGNALING_PORT ?? 4544);
export const ANVIL_PORT = Number(process.env.CAIRN_E2E_ANVIL_PORT ?? 8645); // a fresh devnet chain per run (CAIRN_DEVNET_FRESH)
export const BUNDLER_PORT = Number(process.env.CAIRN_E2E_BUNDLER_PORT ?? 14437);
// coturn on 127.0.0.1 (scripts/turn.mjs) for the relay-only spec, relaying through the ports below.
export const TURN_PORT = Number(process.env.CAIRN_E2E_TURN_PORT ?? 3478);
const TURN_MIN_PORT = process.env.CAIRN_E2E_TURN_MIN_PORT ?? '49160';
const TURN_MAX_PORT = process.env.CAIRN_E2E_TURN_MAX_PORT ?? '49200';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1, // 2 cores: guardians are already several browsers per test
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${APP_PORT}`, // WebAuthn refuses 127.0.0.1
    permissions: ['camera', 'microphone'], // without them Chromium gathers no ICE candidates on loopback
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs,
    },
  },
  // The production build (`npm start`'s), plus the test harness pages and the test clock hook
  // (VITE_CAIRN_TEST_HOOKS: a build-time flag no other build sets), in a build folder of its own.
  webServer: {
    command: 'node scripts/start.mjs',
    url: `http://localhost:${APP_PORT}/`,
    env: {
      CAIRN_APP_PORT: String(APP_PORT),
      CAIRN_SIGNALING_PORT: String(SIGNALING_PORT),
      CAIRN_ANVIL_PORT: String(ANVIL_PORT),
      CAIRN_BUNDLER_PORT: String(BUNDLER_PORT),
      CAIRN_DEVNET_FRESH: '1',
      // The app's RPC is a front without accounts, like a public RPC (scripts/rpcFront.mjs); only the
      // devnet faucet and the bundler talk to anvil itself.
      CAIRN_RPC_FRONT: '1',
      CAIRN_TURN_PORT: String(TURN_PORT),
      CAIRN_TURN_MIN_PORT: TURN_MIN_PORT,
      CAIRN_TURN_MAX_PORT: TURN_MAX_PORT,
      CAIRN_BUILD_DIR: `.build/e2e-${APP_PORT}`,
      CAIRN_BUILD_HARNESS: '1',
      VITE_CAIRN_TEST_HOOKS: '1',
    },
    reuseExistingServer: false,
    timeout: 120_000,
  },
});

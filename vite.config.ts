/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { cairnServiceWorker } from './sw/vitePlugin.ts';

// The e2e build (CAIRN_BUILD_HARNESS=1, set by playwright.config.ts and the e2e benchmark) adds the
// test harness pages next to the app; `npm start`'s build has the app only.
const harnessPages =
  process.env.CAIRN_BUILD_HARNESS === '1' ? { input: { main: 'index.html', guardian: 'e2e/harness/guardian.html', device: 'e2e/harness/device.html' } } : {};

// One config for the app (Vite) and the unit tests (Vitest).
export default defineConfig({
  plugins: [react(), cairnServiceWorker()],
  server: { host: 'localhost', strictPort: true },
  preview: { host: 'localhost', strictPort: true },
  build: { target: 'es2022', sourcemap: true, rolldownOptions: harnessPages },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores: keep the pool small so anvil-backed and CPU-heavy suites don't starve each other.
    maxWorkers: 2,
  },
});

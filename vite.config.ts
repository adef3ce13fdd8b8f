/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { cairnServiceWorker } from './sw/vitePlugin.ts';

// One config for the app (Vite) and the unit tests (Vitest).
export default defineConfig({
  plugins: [react(), cairnServiceWorker()],
  server: { host: 'localhost', strictPort: true },
  preview: { host: 'localhost', strictPort: true },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores: keep the pool small so anvil-backed and CPU-heavy suites don't starve each other.
    maxWorkers: 2,
  },
});

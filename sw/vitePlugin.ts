/**
 * Serves `sw/sw.js` as `/sw.js`: as-is in the dev server (version "dev"), and in a build with the
 * list of emitted files to precache and a version derived from them, so every deploy with changed
 * files is a new service worker (which triggers the app's update prompt).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const SOURCE = fileURLToPath(new URL('./sw.js', import.meta.url));

export function cairnServiceWorker(): Plugin {
  return {
    name: 'cairn-service-worker',
    configureServer(server) {
      server.middlewares.use('/sw.js', (_req, res) => {
        res.setHeader('Content-Type', 'text/javascript');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(readFileSync(SOURCE, 'utf8').replace('__CAIRN_SW_VERSION__', 'dev'));
      });
    },
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map'))
        .map((f) => `/${f}`);
      const precache = ['/', '/icon.svg', '/manifest.webmanifest', '/icon-192.png', '/icon-512.png', ...files];
      const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12);
      const code = readFileSync(SOURCE, 'utf8')
        .replace('__CAIRN_SW_VERSION__', version)
        .replace(/\/\* __CAIRN_PRECACHE__ \*\/ \[[^\]]*\]/, JSON.stringify(precache));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: code });
    },
  };
}

#!/usr/bin/env node
// `npm start`: everything Cairn needs, on this machine, with one command.
import { startService, stopAll, onShutdown, waitForHttp, signalingServerPath } from './services.mjs';

const appPort = Number(process.env.CAIRN_APP_PORT ?? 5173);
const signalingPort = Number(process.env.CAIRN_SIGNALING_PORT ?? 4444);

onShutdown();
try {
  startService('signaling', process.execPath, [signalingServerPath()], {
    env: { PORT: String(signalingPort), HOST: '127.0.0.1' },
    quiet: true,
  });
  startService('app', process.execPath, ['node_modules/vite/bin/vite.js', '--port', String(appPort), '--host', 'localhost', '--logLevel', 'warn'], {
    env: { VITE_SIGNALING_URLS: `ws://localhost:${signalingPort}` },
  });
  await waitForHttp(`http://localhost:${appPort}/`);
  console.log(`
  Cairn is running.

    App:        http://localhost:${appPort}/
    Signaling:  ws://localhost:${signalingPort}

  Press Ctrl-C to stop everything.
`);
} catch (err) {
  console.error(`[cairn] could not start: ${err instanceof Error ? err.message : err}`);
  stopAll(1);
}

#!/usr/bin/env node
// `npm run signaling`: y-webrtc's own signaling server, for hosting one (see README, "Hosting").
// PORT (default 4444). It binds every interface: put it behind a TLS proxy (wss://) on a server.
// It relays only encrypted announcements between guardians of a room (DESIGN invariant 7).
import { startService, onShutdown, signalingServerPath } from './services.mjs';

const port = Number(process.env.PORT ?? 4444);
onShutdown();
startService('signaling', process.execPath, [signalingServerPath()], { env: { PORT: String(port) } });

// Where the Chromium for browser tests lives. Never downloaded: Debian's package, or CHROMIUM_PATH.
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debianPackage.mjs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = () => existsSync(chromiumPath);
/** The flags every test and bench browser runs with (loopback WebRTC between contexts, no background traffic). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
];
export const chromiumHint =
  `Chromium was not found at ${chromiumPath}.\n` +
  `Install it with:  sudo apt-get install -y chromium\n` +
  `(or set CHROMIUM_PATH to an existing Chromium/Chrome binary).`;

/** Makes sure the browser tests have a Chromium (installs Debian's package when it can). */
export const ensureChromium = () =>
  ensureDebianPackage({ pkg: 'chromium', has: hasChromium, hint: chromiumHint, overridden: Boolean(process.env.CHROMIUM_PATH) });

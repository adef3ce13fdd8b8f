// Where the Chromium for browser tests lives. Never downloaded: Debian's package, or CHROMIUM_PATH.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = () => existsSync(chromiumPath);
export const chromiumHint =
  `Chromium was not found at ${chromiumPath}.\n` +
  `Install it with:  sudo apt-get install -y chromium\n` +
  `(or set CHROMIUM_PATH to an existing Chromium/Chrome binary).`;

/**
 * Makes sure the browser tests have a Chromium. On a fresh Debian machine run as root it installs
 * Debian's package (as .ci/run does); otherwise it prints the one command to run. Returns whether
 * Chromium is there now.
 */
export function ensureChromium() {
  if (hasChromium()) return true;
  const canInstall = !process.env.CHROMIUM_PATH && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(chromiumHint);
    return false;
  }
  console.log('Chromium missing: installing Debian\'s package (apt-get install chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}).\n${chromiumHint}`);
      return false;
    }
  }
  return hasChromium();
}

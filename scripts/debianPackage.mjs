// Installs a Debian package the tests need (Chromium, coturn) on a fresh machine, as .ci/run does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Makes sure `has()` holds: when it doesn't and this is Debian run as root (and no path override is
 * set), installs `pkg` with apt; otherwise prints `hint` (the one command to run). Returns whether
 * it holds now.
 */
export function ensureDebianPackage({ pkg, has, hint, overridden = false }) {
  if (has()) return true;
  if (overridden || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(hint);
    return false;
  }
  console.log(`${pkg} missing: installing Debian's package (apt-get install ${pkg})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', pkg],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}).\n${hint}`);
      return false;
    }
  }
  return has();
}

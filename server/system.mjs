// Makes sure the Debian packages the stack needs are present. On Debian/Ubuntu as root it installs
// them; anywhere else it prints the exact command and exits, so nothing half-works silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHECKS = {
  prosody: () => has('prosody') && has('prosodyctl'),
  'prosody-modules': () => existsSync('/usr/lib/prosody/modules/mod_cloud_notify'),
  chromium: () => existsSync('/usr/bin/chromium'),
  coturn: () => has('turnserver'),
};

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** @param {(keyof typeof CHECKS)[]} packages */
export function ensurePackages(packages) {
  const missing = packages.filter((p) => !CHECKS[p]());
  if (missing.length === 0) return;
  const cmd = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`;
  const debian = existsSync('/etc/debian_version');
  const root = process.getuid?.() === 0;
  if (!debian || !root) {
    console.error(`Missing system packages: ${missing.join(', ')}.\nInstall them with:\n  sudo sh -c '${cmd}'`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} …`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0 || missing.some((p) => !CHECKS[p]())) {
    console.error(`Installing ${missing.join(', ')} failed. Try by hand:\n  ${cmd}`);
    process.exit(1);
  }
}

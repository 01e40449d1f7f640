// What ensure-redis-server.mjs and ensure-chromium.mjs share: finding a command on PATH and
// installing a missing tool from Debian's packages with apt-get (as root, or through passwordless
// sudo), or stopping the run with a hint that says what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether `path` is an executable file. */
export function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `command` is an executable in one of PATH's directories. */
export function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => executable(join(directory, command)));
}

/** How to run a command as root: directly, through `sudo -n`, or not at all. */
function rootPrefix() {
  if (process.getuid?.() === 0) return [];
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0)
    return ['sudo', '-n'];
  return undefined;
}

function aptGet(prefix, args) {
  const [command, ...rest] = [...prefix, 'apt-get', ...args];
  const result = spawnSync(command, rest, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/**
 * Does nothing when `missing()` is empty; otherwise installs `packages` with apt-get and checks
 * again, or exits 1 with `hint`.
 * @param {{ missing: () => string[], packages: string[], hint: string }} options
 */
export function ensureDebianPackages({ missing, packages, hint }) {
  if (missing().length === 0) return;
  const prefix = rootPrefix();
  if (prefix === undefined || !onPath('apt-get')) {
    console.error(hint);
    process.exit(1);
  }
  console.log(
    `test: ${missing().join(' and ')} not on PATH; installing Debian's ${packages.join(' and ')} with apt-get`,
  );
  const install = ['install', '-y', '--no-install-recommends', ...packages];
  // A fresh machine's package lists may be missing or stale: update them once if the first try fails.
  const installed = aptGet(prefix, install) || (aptGet(prefix, ['update']) && aptGet(prefix, install));
  if (!installed || missing().length > 0) {
    console.error(`test: apt-get could not install ${packages.join(' and ')}.\n${hint}`);
    process.exit(1);
  }
  console.log(`test: ${packages.join(' and ')} installed`);
}

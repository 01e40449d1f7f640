// Run by the root `test` script before anything else: the Redis tests start real `redis-server`
// processes (@switchyard/redis/testing), so a machine with only Node must get one first. When
// none is on PATH, Debian's package is installed with apt-get (as root, or through passwordless
// sudo); where that is not possible, the run stops here and says what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL_HINT = `redis-server is not on PATH, and the Redis tests start real ones. Install it, then run the tests again:
  Debian, Ubuntu:  sudo apt-get install redis-server
  Fedora:          sudo dnf install redis
  macOS:           brew install redis`;

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => {
    try {
      accessSync(join(directory, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
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

if (!onPath('redis-server')) {
  const prefix = rootPrefix();
  if (prefix === undefined || !onPath('apt-get')) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  console.log("test: redis-server is not on PATH; installing Debian's redis-server package with apt-get");
  // A fresh machine's package lists may be missing or stale: update them once if the first try fails.
  const installed =
    aptGet(prefix, ['install', '-y', 'redis-server']) ||
    (aptGet(prefix, ['update']) && aptGet(prefix, ['install', '-y', 'redis-server']));
  if (!installed || !onPath('redis-server')) {
    console.error(`test: apt-get could not install redis-server.\n${INSTALL_HINT}`);
    process.exit(1);
  }
  console.log('test: redis-server installed');
}

// Run by the root `test` script before anything else: the Redis tests start real `redis-server`
// processes (@switchyard/redis/testing) and join Redis Clusters with `redis-cli --cluster create`,
// so a machine with only Node must get both first. When either is missing from PATH, Debian's
// redis-server package (which brings redis-cli with redis-tools) is installed with apt-get (as
// root, or through passwordless sudo); where that is not possible, the run stops here and says
// what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const COMMANDS = ['redis-server', 'redis-cli'];

const INSTALL_HINT = `redis-server or redis-cli is not on PATH, and the Redis tests start real servers and clusters. Install them, then run the tests again:
  Debian, Ubuntu:  sudo apt-get install redis-server redis-tools
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

const missing = () => COMMANDS.filter((command) => !onPath(command));

if (missing().length > 0) {
  const prefix = rootPrefix();
  if (prefix === undefined || !onPath('apt-get')) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  console.log(
    `test: ${missing().join(' and ')} not on PATH; installing Debian's redis-server and redis-tools packages with apt-get`,
  );
  const install = ['install', '-y', 'redis-server', 'redis-tools'];
  // A fresh machine's package lists may be missing or stale: update them once if the first try fails.
  const installed = aptGet(prefix, install) || (aptGet(prefix, ['update']) && aptGet(prefix, install));
  if (!installed || missing().length > 0) {
    console.error(`test: apt-get could not install ${missing().join(' and ')}.\n${INSTALL_HINT}`);
    process.exit(1);
  }
  console.log('test: redis-server and redis-cli installed');
}

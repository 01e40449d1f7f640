// Run by the root `test` script beside ensure-redis-server.mjs: the dashboard's browser test drives
// a real Chromium through playwright-core, which downloads no browser here, so a machine with only
// Node must get one first. When no chromium binary is on PATH (nor CHROMIUM_PATH), Debian's
// `chromium` package is installed with apt-get (as root, or through passwordless sudo); where that
// is not possible, the run stops here and says what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The names a Chromium binary goes by (Debian: chromium; Ubuntu, older Debian: chromium-browser). */
const BINARIES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

const INSTALL_HINT = `no chromium binary is on PATH, and the dashboard's browser test drives a real Chromium. Install one, then run the tests again (or point CHROMIUM_PATH at a Chromium or Chrome binary):
  Debian:          sudo apt-get install chromium
  Ubuntu:          sudo apt-get install chromium-browser (or Google Chrome)
  Fedora:          sudo dnf install chromium
  macOS:           brew install --cask chromium`;

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((directory) => executable(join(directory, command)));
}

const found = () =>
  (process.env.CHROMIUM_PATH !== undefined && executable(process.env.CHROMIUM_PATH)) || BINARIES.some(onPath);

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

if (!found()) {
  const prefix = rootPrefix();
  if (prefix === undefined || !onPath('apt-get')) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  console.log("test: no chromium on PATH; installing Debian's chromium package with apt-get");
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  // A fresh machine's package lists may be missing or stale: update them once if the first try fails.
  const installed = aptGet(prefix, install) || (aptGet(prefix, ['update']) && aptGet(prefix, install));
  if (!installed || !found()) {
    console.error(`test: apt-get could not install chromium.\n${INSTALL_HINT}`);
    process.exit(1);
  }
  console.log('test: chromium installed');
}

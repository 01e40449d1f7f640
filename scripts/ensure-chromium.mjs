// Run by the root `test` script beside ensure-redis-server.mjs: the dashboard's browser test drives
// a real Chromium through playwright-core, which downloads no browser here, so a machine with only
// Node must get one first. When no chromium binary is on PATH (nor CHROMIUM_PATH), Debian's
// `chromium` package is installed with apt-get (as root, or through passwordless sudo); where that
// is not possible, the run stops here and says what to install.
import { ensureDebianPackages, executable, onPath } from './debian-package.mjs';

/** The names a Chromium binary goes by (Debian: chromium; Ubuntu, older Debian: chromium-browser). */
const BINARIES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

const INSTALL_HINT = `no chromium binary is on PATH, and the dashboard's browser test drives a real Chromium. Install one, then run the tests again (or point CHROMIUM_PATH at a Chromium or Chrome binary):
  Debian:          sudo apt-get install chromium
  Ubuntu:          sudo apt-get install chromium-browser (or Google Chrome)
  Fedora:          sudo dnf install chromium
  macOS:           brew install --cask chromium`;

const found = () =>
  (process.env.CHROMIUM_PATH !== undefined && executable(process.env.CHROMIUM_PATH)) || BINARIES.some(onPath);

ensureDebianPackages({
  missing: () => (found() ? [] : ['chromium']),
  packages: ['chromium'],
  hint: INSTALL_HINT,
});

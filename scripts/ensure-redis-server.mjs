// Run by the root `test` script before anything else: the Redis tests start real `redis-server`
// processes (@switchyard/redis/testing) and join Redis Clusters with `redis-cli --cluster create`,
// so a machine with only Node must get both first. When either is missing from PATH, Debian's
// redis-server package (which brings redis-cli with redis-tools) is installed with apt-get (as
// root, or through passwordless sudo); where that is not possible, the run stops here and says
// what to install.
import { ensureDebianPackages, onPath } from './debian-package.mjs';

const COMMANDS = ['redis-server', 'redis-cli'];

const INSTALL_HINT = `redis-server or redis-cli is not on PATH, and the Redis tests start real servers and clusters. Install them, then run the tests again:
  Debian, Ubuntu:  sudo apt-get install redis-server redis-tools
  Fedora:          sudo dnf install redis
  macOS:           brew install redis`;

ensureDebianPackages({
  missing: () => COMMANDS.filter((command) => !onPath(command)),
  packages: ['redis-server', 'redis-tools'],
  hint: INSTALL_HINT,
});

import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/**
 * Test helpers: a real redis-server for tests of code that uses this store. Not for production.
 * @module
 */

/** A redis-server this test started, on a free loopback port. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage, not a shutdown). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function waitForPing(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server at ${url} did not answer`);
}

/**
 * Starts a real `redis-server` from PATH (the repository's test command installs Debian's
 * redis-server package when it is missing) with no persistence, on a free port.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    child = started;
    const failed = new Promise<never>((_, reject) =>
      started.once('error', (error) =>
        reject(new Error(`cannot start redis-server (apt-get install redis-server): ${error.message}`)),
      ),
    );
    await Promise.race([waitForPing(url), failed]);
  };
  await launch();
  return {
    url,
    port,
    async stop() {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
    restart: launch,
  };
}

/**
 * The Redis the tests share: `SWITCHYARD_REDIS_URL` (a server you started), else one started
 * for this test file. Tests keep apart by key prefix.
 */
export async function sharedRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const url = process.env.SWITCHYARD_REDIS_URL;
  if (url !== undefined && url !== '') return { url, stop: async () => undefined };
  const server = await startRedisServer();
  return { url: server.url, stop: server.stop };
}

let prefixSequence = 0;
/** A key prefix no other test uses. */
export const uniquePrefix = (): string =>
  `sy-test-${process.pid}-${Date.now().toString(36)}-${prefixSequence++}`;

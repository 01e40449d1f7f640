import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A free loopback port (the kernel's pick, released for the server that takes it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A loopback Redis: its port, and its password if it has one. */
export interface RedisAddress {
  readonly port: number;
  readonly password?: string | undefined;
}

/** Runs one command on the Redis at `address` over a connection of its own, then closes it. */
export async function redisCommand(address: RedisAddress, command: string, ...args: Array<string | number>) {
  const client = new Redis({
    host: '127.0.0.1',
    port: address.port,
    ...(address.password === undefined ? {} : { password: address.password }),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
    commandTimeout: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}

/** Waits until `check` resolves true (errors count as false), or throws `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
}

/** One redis-server (or sentinel) process this test started. */
export interface RedisProcess extends RedisAddress {
  /** Whether it is running (started and not stopped). */
  readonly running: boolean;
  /** SIGKILL: a crash, not a shutdown. */
  stop(): Promise<void>;
  /** Starts it again with the same arguments (same port, same directory). */
  restart(): Promise<void>;
}

/**
 * Starts `redis-server` from PATH with `args` (plus no persistence) and waits until it answers
 * PING on `port`.
 */
export async function launchRedis(options: {
  port: number;
  args: readonly string[];
  cwd?: string;
  /** The password it requires (`--requirepass` among `args`), for the PING. */
  password?: string;
}): Promise<RedisProcess> {
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', [...options.args], {
      stdio: 'ignore',
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    child = started;
    const failed = new Promise<never>((_, reject) => {
      started.once('error', (error) =>
        reject(new Error(`cannot start redis-server (apt-get install redis-server): ${error.message}`)),
      );
      started.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} at start`)));
    });
    let gaveUp = false;
    const answered = waitUntil(
      `redis-server on port ${options.port} answers`,
      async () => gaveUp || (await redisCommand(options, 'PING')) === 'PONG',
    );
    // Its exit after start-up (a test's stop) is no start-up failure.
    failed.catch(() => undefined);
    try {
      await Promise.race([answered, failed]);
    } catch (error) {
      gaveUp = true;
      started.kill('SIGKILL');
      throw error;
    }
  };
  await launch();
  return {
    port: options.port,
    password: options.password,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
    restart: launch,
  };
}

/**
 * Arguments every test server gets: loopback only, no RDB snapshots, no AOF, and a replica's
 * first sync at once (the diskless sync otherwise waits 5 s for more replicas to join it).
 */
export const ephemeral = (port: number): string[] => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--repl-diskless-sync-delay',
  '0',
];

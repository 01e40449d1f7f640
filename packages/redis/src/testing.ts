import { ephemeral, freePort, launchRedis } from './testing/redis-process.js';

/**
 * Test helpers: real redis-server processes (one server, a Cluster, a Sentinel setup) for tests
 * of code that uses this store. Not for production.
 * @module
 */

export type {
  RedisCluster,
  RedisClusterNode,
  RedisClusterOptions,
} from './testing/redis-cluster.js';
export { startRedisCluster } from './testing/redis-cluster.js';
export type { RedisProcess } from './testing/redis-process.js';
export type { RedisSentinelOptions, RedisSentinelSetup } from './testing/redis-sentinel.js';
export { startRedisSentinel } from './testing/redis-sentinel.js';

/** A redis-server this test started, on a free loopback port. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage, not a shutdown). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/**
 * Starts a real `redis-server` from PATH (the repository's test command installs Debian's
 * redis-server package when it is missing) with no persistence, on a free port.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const server = await launchRedis({ port, args: ephemeral(port) });
  return { url: `redis://127.0.0.1:${port}`, port, stop: server.stop, restart: server.restart };
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

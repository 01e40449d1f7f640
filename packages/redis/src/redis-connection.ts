import { redactSecrets } from '@switchyard/core';
import { Redis } from 'ioredis';
import * as scripts from './scripts.js';

/** Where the store says what happens to Redis: outages, recoveries. Never given a secret. */
export type StoreLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What to do while Redis does not answer. */
export type FailMode = 'closed' | 'open';

/** Redis with the store's scripts defined as commands. */
export interface ScriptedRedis extends Redis {
  syReserve(...args: Array<string | number>): Promise<Array<string | number>>;
  sySettle(...args: Array<string | number>): Promise<number>;
  sySettleAndAppend(...args: Array<string | number>): Promise<number>;
  syBreakerFailure(...args: Array<string | number>): Promise<number>;
  syBreakerSuccess(...args: Array<string | number>): Promise<number>;
  syBreakerState(...args: Array<string | number>): Promise<string[]>;
  syLatency(...args: Array<string | number>): Promise<number>;
}

/** One Redis connection shared by the store's parts, with its availability and outage log. */
export interface RedisConnection {
  readonly redis: ScriptedRedis;
  readonly prefix: string;
  readonly failMode: FailMode;
  /** True while connected (commands are expected to succeed). */
  available(): boolean;
  /** Calls `listener` each time the connection is (re)established. */
  onReady(listener: () => void): void;
  /** Reports a failed command: the first one of an outage is logged loudly. */
  failed(what: string, error: unknown): void;
  /** The message of an error, without secrets. */
  describe(error: unknown): string;
  readonly log: StoreLog;
  /** A second connection for subscriptions (created on first use). */
  subscriber(): Redis;
  /** Resolves once connected, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Options of {@link createConnection}. */
export interface ConnectionOptions {
  url: string;
  prefix: string;
  failMode: FailMode;
  commandTimeoutMs: number;
  log: StoreLog;
}

function defineScripts(redis: Redis): ScriptedRedis {
  const define = (name: string, lua: string, numberOfKeys?: number) =>
    redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
  define('syReserve', scripts.RESERVE);
  define('sySettle', scripts.SETTLE);
  define('sySettleAndAppend', scripts.SETTLE_AND_APPEND);
  define('syBreakerFailure', scripts.BREAKER_FAILURE, 2);
  define('syBreakerSuccess', scripts.BREAKER_SUCCESS, 2);
  define('syBreakerState', scripts.BREAKER_STATE, 1);
  define('syLatency', scripts.LATENCY, 1);
  return redis as ScriptedRedis;
}

/** Where a URL points, without its credentials: for log lines. */
function whereOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/**
 * Connects to Redis. Commands fail fast while disconnected (no offline queue: a request must not
 * hang waiting for Redis), each command has a timeout, and the client reconnects on its own
 * with a capped backoff, so an outage ends without a restart.
 */
export function createConnection(options: ConnectionOptions): RedisConnection {
  const { url, prefix, failMode, log } = options;
  const secrets: string[] = [];
  const parsed = new URL(url);
  if (parsed.password !== '') secrets.push(decodeURIComponent(parsed.password), parsed.password);
  const where = whereOf(url);
  const clientOptions = {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  };
  const redis = defineScripts(new Redis(url, clientOptions));
  let subscriber: Redis | undefined;
  let up = false;
  let outage = false;
  let closing = false;
  const readyListeners: Array<() => void> = [];
  const describe = (error: unknown): string =>
    redactSecrets(error instanceof Error ? error.message : String(error), secrets);

  const startOutage = (why: string): void => {
    if (outage || closing) return;
    outage = true;
    log(
      'error',
      failMode === 'closed'
        ? `Redis at ${where} is unreachable (${why}): failing CLOSED, requests that need budgets or rate limits get 503 store_unavailable until it is back; ledger entries are buffered`
        : `Redis at ${where} is unreachable (${why}): failing OPEN, budgets and rate limits are enforced per replica from memory until it is back; ledger entries are buffered`,
    );
  };

  redis.on('ready', () => {
    up = true;
    if (outage) log('info', `Redis at ${where} is back: shared budgets, limits and breakers resume`);
    outage = false;
    for (const listener of readyListeners) listener();
  });
  redis.on('error', (error) => {
    if (!up) startOutage(describe(error));
  });
  redis.on('close', () => {
    if (up) startOutage('connection closed');
    up = false;
  });

  return {
    redis,
    prefix,
    failMode,
    log,
    describe,
    available: () => up,
    onReady(listener) {
      readyListeners.push(listener);
    },
    failed(what, error) {
      if (!outage) startOutage(`${what}: ${describe(error)}`);
    },
    subscriber() {
      if (subscriber === undefined) {
        subscriber = new Redis(url, {
          ...clientOptions,
          enableOfflineQueue: true,
          commandTimeout: undefined,
        });
        // Its outages are the main connection's too, and are reported there.
        subscriber.on('error', () => undefined);
      }
      return subscriber;
    },
    ready(timeoutMs) {
      if (up) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        readyListeners.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      closing = true;
      const quit = async (client: Redis): Promise<void> => {
        if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
        else client.disconnect();
      };
      await Promise.all([quit(redis), ...(subscriber === undefined ? [] : [quit(subscriber)])]);
    },
  };
}

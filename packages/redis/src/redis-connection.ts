import { redactSecrets } from '@switchyard/core';
import { Cluster, type Redis } from 'ioredis';
import { type StoreKeys, storeKeys } from './redis-keys.js';
import { type RedisTarget, reconnectDelay, topologyOf } from './redis-topology.js';
import * as scripts from './scripts.js';
import { createStateWriter, type StateWriter, type WaitForReplicas } from './state-writer.js';

/** Where the store says what happens to Redis: outages, recoveries. Never given a secret. */
export type StoreLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What to do while Redis does not answer. */
export type FailMode = 'closed' | 'open';

/** The store's scripts, defined as commands on the client. */
interface StoreScripts {
  syReserve(...args: Array<string | number>): Promise<Array<string | number>>;
  sySettle(...args: Array<string | number>): Promise<number>;
  sySettleAndAppend(...args: Array<string | number>): Promise<number>;
  syBreakerFailure(...args: Array<string | number>): Promise<number>;
  syBreakerSuccess(...args: Array<string | number>): Promise<number>;
  syBreakerState(...args: Array<string | number>): Promise<string[]>;
  syLatency(...args: Array<string | number>): Promise<number>;
}

/** A client (one primary, Sentinel's primary, or a Cluster) with the store's scripts. */
export type ScriptedRedis = (Redis | Cluster) & StoreScripts;

/** One Redis connection shared by the store's parts, with its availability and outage log. */
export interface RedisConnection {
  readonly redis: ScriptedRedis;
  /** Every key and channel name (hash-tagged for Cluster). */
  readonly keys: StoreKeys;
  readonly failMode: FailMode;
  /** Writes budget and ledger state (waiting for replicas, when asked to). */
  readonly write: StateWriter;
  /** True while connected (commands are expected to succeed). */
  available(): boolean;
  /** Calls `listener` each time the connection is (re)established or an outage ends. */
  onReady(listener: () => void): void;
  /**
   * Calls `listener` once a second while connected and not in an outage, so that what is buffered
   * is written even when no reconnect or end of an outage came to ask for it.
   */
  onRetry(listener: () => void): void;
  /** Reports a failed command: the first one of an outage is logged loudly. */
  failed(what: string, error: unknown): void;
  /** The message of an error, without secrets. */
  describe(error: unknown): string;
  readonly log: StoreLog;
  /** A second connection for subscriptions (created on first use). */
  subscriber(): Redis | Cluster;
  /** Resolves once connected, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Options of {@link createConnection}. */
export interface ConnectionOptions {
  target: RedisTarget;
  prefix: string;
  failMode: FailMode;
  commandTimeoutMs: number;
  waitForReplicas?: WaitForReplicas | undefined;
  log: StoreLog;
}

function defineScripts(redis: Redis | Cluster): ScriptedRedis {
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

/**
 * Whether the store's state answers again after a command failed with the connection still up (a
 * timeout, or a Cluster primary that died and whose replica is being promoted): the money slot
 * answers as its writes are sent (waiting for replicas, when asked to), the health slot answers,
 * and on Cluster every primary the client knows does.
 */
async function answers(redis: ScriptedRedis, write: StateWriter, keys: StoreKeys): Promise<boolean> {
  try {
    const primaries = redis instanceof Cluster ? redis.nodes('master') : [];
    await Promise.all([
      ...write([{ command: 'exists', args: [keys.ledger] }]),
      redis.exists(keys.latency),
      ...primaries.map((node) => node.ping()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Connects to Redis: one primary, a Sentinel-watched primary or a Cluster. Commands fail fast
 * while disconnected (no offline queue: a request must not hang waiting for Redis), each command
 * has a timeout, and the client reconnects on its own with a capped backoff, so an outage ends
 * without a restart. An outage with the connection still up (commands failing: a timeout, a
 * Cluster failover) ends when the state answers again, probed with a backoff.
 */
export function createConnection(options: ConnectionOptions): RedisConnection {
  const { prefix, failMode, log } = options;
  const topology = topologyOf(options.target);
  const keys = storeKeys(prefix);
  const { where, secrets } = topology;
  const redis = defineScripts(
    topology.connect({ enableOfflineQueue: false, commandTimeout: options.commandTimeoutMs }),
  );
  // A WAIT holds its connection until the replicas answer (or its timeout, when one is missing):
  // on a connection of their own, the writes that wait do not hold up rate limits and reads.
  const writer =
    options.waitForReplicas === undefined
      ? redis
      : defineScripts(
          topology.connect({ enableOfflineQueue: false, commandTimeout: options.commandTimeoutMs }),
        );
  // Its outages are the main connection's too, and are reported there; its failed writes as failures.
  if (writer !== redis) writer.on('error', () => undefined);
  const write = createStateWriter(writer, options.waitForReplicas);
  let subscriber: Redis | Cluster | undefined;
  let up = false;
  let outage = false;
  let probing = false;
  let closing = false;
  const readyListeners: Array<() => void> = [];
  const retryListeners: Array<() => void> = [];
  const describe = (error: unknown): string =>
    redactSecrets(error instanceof Error ? error.message : String(error), [...secrets]);

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
  const endOutage = (): void => {
    if (outage) log('info', `Redis at ${where} is back: shared budgets, limits and breakers resume`);
    outage = false;
    for (const listener of readyListeners) listener();
  };
  // While connected but failing, nothing else would end the outage (no reconnect follows), and
  // what it buffered would wait: probe until the state answers, then replay as after a reconnect.
  const probe = async (): Promise<void> => {
    if (probing) return;
    probing = true;
    try {
      for (let delay = 100; outage && up && !closing; delay = Math.min(delay * 2, 2000)) {
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        if (outage && up && !closing && (await answers(redis, write, keys))) endOutage();
      }
    } finally {
      probing = false;
    }
  };

  // ioredis gives a client up for good (status `end`, no more reconnects) in a few races: with
  // Sentinel, a +switch-master that arrives while the client asks the sentinels for the primary
  // closes the connector under it. The store's clients reconnect until the store is closed, so
  // one that ended is started again, with the same capped backoff as ioredis's own retries.
  const restartWhenEnded = (client: Redis | Cluster, which: string): void => {
    let restarts = 0;
    client.on('ready', () => {
      restarts = 0;
    });
    client.on('end', () => {
      if (closing) return;
      restarts += 1;
      if (restarts === 1)
        log('warn', `Redis at ${where}: the ${which} connection stopped reconnecting; starting it again`);
      setTimeout(() => {
        if (!closing && client.status === 'end') client.connect().catch(() => undefined);
      }, reconnectDelay(restarts)).unref();
    });
  };
  restartWhenEnded(redis, 'main');
  if (writer !== redis) restartWhenEnded(writer, 'writer');

  // Up while every connection of the store is (the writer's too, when it has one of its own).
  const clients = writer === redis ? [redis] : [redis, writer];
  for (const client of clients) {
    client.on('ready', () => {
      if (!clients.every((each) => each.status === 'ready')) return;
      up = true;
      endOutage();
    });
    client.on('close', () => {
      if (up) startOutage('connection closed');
      up = false;
    });
  }
  redis.on('error', (error) => {
    if (!up) startOutage(describe(error));
  });
  // The safety net under the events above: connections all ready count as up, an outage with no
  // probe running gets one, and buffered writes are retried.
  const heartbeat = setInterval(() => {
    if (closing) return;
    if (!up) {
      if (!clients.every((each) => each.status === 'ready')) return;
      up = true;
      endOutage();
      return;
    }
    if (outage) void probe();
    else for (const listener of retryListeners) listener();
  }, 1000);
  heartbeat.unref();

  return {
    redis,
    keys,
    failMode,
    log,
    describe,
    write,
    available: () => up,
    onReady(listener) {
      readyListeners.push(listener);
    },
    onRetry(listener) {
      retryListeners.push(listener);
    },
    failed(what, error) {
      if (!outage) startOutage(`${what}: ${describe(error)}`);
      if (up) void probe();
    },
    subscriber() {
      if (subscriber === undefined) {
        subscriber = topology.connect({ enableOfflineQueue: true, commandTimeout: undefined });
        // Its outages are the main connection's too, and are reported there.
        subscriber.on('error', () => undefined);
        restartWhenEnded(subscriber, 'subscriber');
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
      clearInterval(heartbeat);
      const quit = async (client: Redis | Cluster): Promise<void> => {
        if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
        else client.disconnect();
      };
      await Promise.all([...clients, ...(subscriber === undefined ? [] : [subscriber])].map(quit));
    },
  };
}

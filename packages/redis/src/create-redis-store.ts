import type { LedgerConfig, StoreConfig, SwitchyardConfig, SwitchyardStore } from '@switchyard/core';
import { checkLedgerTrim, type LedgerTrim } from './ledger-trim.js';
import { createRedisAnswerCache } from './redis-answer-cache.js';
import { createRedisBudgetStore } from './redis-budget-store.js';
import { createConnection, type FailMode, type StoreLog } from './redis-connection.js';
import { createRedisHealthSync, type HealthSyncOptions } from './redis-health-sync.js';
import { createRedisLedger } from './redis-ledger.js';
import { createRedisLimiterFactory } from './redis-limiter-factory.js';
import { createWriteCombiner } from './write-combiner.js';

/** Options of {@link createRedisStore}: the config's `store` section, plus a logger. */
export interface RedisStoreOptions extends HealthSyncOptions {
  /** `redis://[:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Prefix of every key. @default 'switchyard' */
  keyPrefix?: string;
  /** While Redis does not answer: 503 (`closed`) or per-replica memory limits (`open`). @default 'closed' */
  failMode?: FailMode;
  /** How long one command may take before it counts as failed. @default 500 */
  commandTimeoutMs?: number;
  /** How long a reservation holds its amount if its replica dies before settling. @default 600000 */
  leaseMs?: number;
  /**
   * Whether the answer waits for the settlement and ledger write (a completed request is then in
   * the ledger even if this replica dies right after); `false` writes in the background, one
   * round trip less per request. @default true
   */
  awaitWrites?: boolean;
  /** Where outages and recoveries are reported (never with a secret). @default console */
  log?: StoreLog;
  /**
   * Bounds of the ledger stream (the config's `ledger` section): trimmed to `maxEntries` and
   * `retentionSeconds`, every removed entry counted (`trimmedLedgerEntries()`). No trim when absent.
   */
  ledger?: LedgerTrim;
  /**
   * The largest cached answer stored in Redis, in bytes (the routes' `cache.maxEntryBytes` applies
   * first). @default 1048576 (1 MiB)
   */
  cacheMaxValueBytes?: number;
}

/** A {@link SwitchyardStore} in Redis, with what it still holds in memory during an outage. */
export interface RedisStore extends SwitchyardStore {
  readonly kind: 'redis';
  /** Resolves true once connected, or false after `timeoutMs` (it keeps trying in the background). */
  ready(timeoutMs?: number): Promise<boolean>;
  /** Ledger entries and budget settlements waiting for Redis to come back. */
  backlog(): { ledgerEntries: number; settlements: number };
  /** Ledger entries the fleet trimmed from the stream so far (with `ledger` bounds). */
  trimmedLedgerEntries(): Promise<number>;
  /** Trims the ledger stream to its bounds now (a no-op without them); resolves to the entries removed. */
  trimLedger(): Promise<number>;
}

const consoleLog: StoreLog = (level, message) => {
  if (level === 'info') console.info(`[switchyard:redis] ${message}`);
  else console[level](`[switchyard:redis] ${message}`);
};

/**
 * Every piece of shared state in one Redis: budgets (Lua reserve/settle), rate limits
 * (rate-limiter-flexible's Redis limiter), breakers and latency estimates (scripts + pub/sub),
 * the ledger (a stream) and cached answers (strings that Redis expires). Pass it to `createRouter({ config, store })`.
 *
 * @example
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379', failMode: 'closed' });
 * const router = createRouter({ config, store });
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  // Before any connection opens: a bad bound must not leave a socket behind.
  if (options.ledger !== undefined) checkLedgerTrim(options.ledger);
  const connection = createConnection({
    url: options.url,
    prefix: options.keyPrefix ?? 'switchyard',
    failMode: options.failMode ?? 'closed',
    commandTimeoutMs: options.commandTimeoutMs ?? 500,
    log: options.log ?? consoleLog,
  });
  const awaitWrites = options.awaitWrites ?? true;
  const writes = createWriteCombiner(connection.redis);
  const budgets = createRedisBudgetStore(connection, {
    writes,
    awaitWrites,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  const ledger = createRedisLedger(connection, {
    writes,
    awaitWrites,
    ...(options.ledger === undefined ? {} : { trim: options.ledger }),
  });
  const health = createRedisHealthSync(connection, options);
  const cache = createRedisAnswerCache(
    connection,
    options.cacheMaxValueBytes === undefined ? {} : { maxValueBytes: options.cacheMaxValueBytes },
  );
  return {
    kind: 'redis',
    budgets,
    limiterFactory: createRedisLimiterFactory(connection),
    ledger,
    health,
    cache,
    ready: (timeoutMs = 2000) => connection.ready(timeoutMs),
    backlog: () => ({ ledgerEntries: ledger.buffered(), settlements: budgets.pendingSettlements() }),
    trimmedLedgerEntries: () => ledger.trimmed(),
    trimLedger: () => ledger.trim(),
    async ping() {
      if (!connection.available()) return false;
      try {
        return (await connection.redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      health.close();
      // A graceful shutdown writes what an outage left behind, if Redis answers again by now.
      if (connection.available()) await Promise.all([ledger.drain(), budgets.drain()]);
      const ledgerEntries = ledger.buffered();
      const settlements = budgets.pendingSettlements();
      if (ledgerEntries + settlements > 0) {
        connection.log(
          'error',
          `closing with ${ledgerEntries} ledger entries and ${settlements} budget settlements not yet in Redis`,
        );
      }
      await connection.close();
    },
  };
}

/** The largest `maxEntryBytes` a config names (top-level or a route's), if it names one. */
function largestCacheEntry(config: Pick<SwitchyardConfig, 'cache' | 'routes'>): number | undefined {
  const sizes = [config.cache, ...Object.values(config.routes ?? {}).map((route) => route.cache)].flatMap(
    (cache) =>
      cache === undefined || cache === false || cache.maxEntryBytes === undefined
        ? []
        : [cache.maxEntryBytes],
  );
  return sizes.length === 0 ? undefined : Math.max(...sizes);
}

/**
 * The store a config asks for: a Redis store for `store: { type: redis }` (its cached answers
 * capped at the largest `cache.maxEntryBytes` the config names), nothing (the router's memory
 * default) otherwise.
 */
export function storeFromConfig(
  config: Pick<SwitchyardConfig, 'cache' | 'routes'> & {
    store?: StoreConfig | undefined;
    ledger?: LedgerConfig | undefined;
  },
  options: { log?: StoreLog } = {},
): RedisStore | undefined {
  const store = config.store;
  if (store === undefined || store.type !== 'redis') return undefined;
  const cacheMaxValueBytes = largestCacheEntry(config);
  return createRedisStore({
    ...store,
    ...(config.ledger === undefined ? {} : { ledger: config.ledger }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(cacheMaxValueBytes === undefined ? {} : { cacheMaxValueBytes }),
  });
}

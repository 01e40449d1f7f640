import type { AnswerCache } from '../cache/answer-cache.js';
import type { Clock } from '../clock.js';
import { type BudgetStore, createMemoryBudgetStore } from '../spend/budget-store.js';
import { createMemoryLedger, type MemoryLedgerOptions } from '../spend/memory-ledger.js';
import { type LimiterFactory, memoryLimiterFactory } from '../spend/rate-limit-guard.js';
import type { SpendLedger } from '../spend/spend-ledger.js';

/** The breaker settings every replica shares (from the config's `breaker` section). */
export interface SharedBreakerSettings {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

/** What a {@link HealthSync} may change in this process's view of target health. */
export interface HealthLink {
  /** Another replica opened the breaker of `key` (`provider/model`); it half-opens in `remainingMs`. */
  openBreaker(key: string, remainingMs: number): void;
  /** Another replica closed the breaker of `key`. */
  closeBreaker(key: string): void;
  /** The fleet's latency estimate of `key` in ms. */
  setLatency(key: string, ms: number): void;
}

/**
 * Port: circuit-breaker state and latency estimates shared by a fleet. Local breakers keep
 * deciding on the hot path (no round trip); this process reports what it sees, and applies what
 * the others report.
 */
export interface HealthSync {
  /** Called once by the router with the link into its targets and the breaker settings. */
  attach(link: HealthLink, breaker: SharedBreakerSettings | undefined): void;
  /** A failure that counts against the target's health (fire and forget). */
  recordFailure(key: string): void;
  /** A success after failures, or of a probe (fire and forget). */
  recordSuccess(key: string): void;
  /** One successful attempt's latency in ms (fire and forget). */
  recordLatency(key: string, ms: number): void;
}

/**
 * Port: every piece of state a fleet of gateways must share. The default keeps it in process
 * memory; `@switchyard/redis` keeps it in Redis.
 */
export interface SwitchyardStore {
  /** `memory`, `redis`, ...: for logs and health checks. */
  readonly kind: string;
  /** Budget reservations and settlements. */
  readonly budgets: BudgetStore;
  /** Rate-limit counters (rate-limiter-flexible limiters). */
  readonly limiterFactory: LimiterFactory;
  /** Every settled attempt. */
  readonly ledger: SpendLedger;
  /** Breaker state and latency estimates; none in memory (each process is its own fleet). */
  readonly health?: HealthSync;
  /**
   * Cached answers shared by the fleet. None in memory: there the router builds an LRU sized by
   * the config's `cache.maxBytes`.
   */
  readonly cache?: AnswerCache;
  /** Whether the store answers now. */
  ping(): Promise<boolean>;
  /** Flushes what is pending and closes connections. */
  close(): Promise<void>;
}

/**
 * The default {@link SwitchyardStore}: everything in this process's memory; the ledger bounded by
 * `ledger` (the config's `ledger` section; 100,000 entries by default).
 */
export function createMemoryStore(
  options: { clock?: Pick<Clock, 'now'>; ledger?: Omit<MemoryLedgerOptions, 'now'> } = {},
): SwitchyardStore {
  return {
    kind: 'memory',
    budgets: createMemoryBudgetStore(options.clock === undefined ? {} : { now: options.clock.now }),
    limiterFactory: memoryLimiterFactory,
    ledger: createMemoryLedger({
      ...options.ledger,
      ...(options.clock === undefined ? {} : { now: options.clock.now }),
    }),
    ping: async () => true,
    close: async () => undefined,
  };
}

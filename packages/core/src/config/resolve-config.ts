import {
  OUTCOME_CODES,
  OUTCOME_RULES,
  type OutcomeAction,
  type OutcomeCode,
} from '../errors/outcome-codes.js';
import { type Picodollars, parseUsd } from '../pricing/money.js';
import type {
  RequestLimitsConfig,
  ServerLimitsConfig,
  SwitchyardConfig,
  UpstreamLimitsConfig,
} from './config-types.js';
import { validateConfig } from './validate-config.js';

/** Retry settings with every default filled in. */
export interface ResolvedRetry {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  /** Passes over a request's chain. */
  readonly rounds: number;
  /** Attempts one request may start in all. */
  readonly maxRequestAttempts: number;
}

/** Timeouts with every default filled in. */
export interface ResolvedTimeouts {
  readonly attemptMs: number;
  readonly totalMs: number;
  readonly stallMs: number;
}

/** The answer cache's settings with every default filled in (`cache`, `routes.<name>.cache`). */
export interface ResolvedCacheDefaults {
  readonly ttlSeconds: number;
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  readonly scope: 'key' | 'global';
  readonly nondeterministic: boolean;
  readonly countHitsInLimits: boolean;
}

/** Circuit-breaker settings with every default filled in. */
export interface ResolvedBreaker {
  readonly failureThreshold: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
}

/** Request shape limits with every default filled in (checked by the Node bridge). */
export type ResolvedRequestLimits = Readonly<Required<RequestLimitsConfig>>;

/** Server limits with every default filled in; `maxConnectionsPerIp` stays off unless set. */
export type ResolvedServerLimits = Readonly<
  Required<Omit<ServerLimitsConfig, 'maxConnectionsPerIp'>> & { maxConnectionsPerIp: number | undefined }
>;

/** Upstream limits with every default filled in. */
export type ResolvedUpstreamLimits = Readonly<Required<UpstreamLimitsConfig>>;

/**
 * A validated configuration with every default applied once, frozen. The router and the target
 * registry read settings only from here, so no default is written twice.
 */
export interface ResolvedConfig {
  /** The validated configuration as given (providers, aliases, routes, budgets, limits, keys). */
  readonly config: SwitchyardConfig;
  readonly retry: ResolvedRetry;
  readonly timeouts: ResolvedTimeouts;
  /** Undefined when breakers are off (`breaker: false`). */
  readonly breaker: ResolvedBreaker | undefined;
  /** Relative tolerance of reported vs computed cost, and the cap on an unverifiable reported cost. */
  readonly costCheck: { readonly tolerance: number; readonly maxReported: Picodollars };
  /** `maxCostPerRequest`, parsed. */
  readonly ceiling: Picodollars | undefined;
  /** What the router does after each outcome code: the table with the config's overrides. */
  readonly actions: Readonly<Record<OutcomeCode, OutcomeAction>>;
  /** Whether the bundled catalog snapshot is used. */
  readonly bundledCatalog: boolean;
  /** Whether a request may name a raw model id of the default provider. */
  readonly allowRawModels: boolean;
  /** The provider of raw model ids: `defaultProvider`, or the first provider. */
  readonly defaultProvider: string;
  /** Open connections per provider unless it sets `connections`. */
  readonly connections: number;
  /** A hedge route's delay before it starts the next target, unless it sets `hedgeAfterMs`. */
  readonly hedgeAfterMs: number;
  /** The most the router reads from an upstream. */
  readonly upstreamLimits: ResolvedUpstreamLimits;
}

/** The defaults {@link resolveConfig} applies (documented with `@default` on the config types). */
export const CONFIG_DEFAULTS: {
  readonly retry: ResolvedRetry;
  readonly timeouts: ResolvedTimeouts;
  readonly breaker: ResolvedBreaker;
  readonly costCheck: { readonly tolerance: number; readonly maxReportedUsd: string };
  readonly connections: number;
  readonly hedgeAfterMs: number;
  readonly requestLimits: ResolvedRequestLimits;
  readonly server: ResolvedServerLimits;
  readonly upstreamLimits: ResolvedUpstreamLimits;
  readonly cache: ResolvedCacheDefaults;
} = Object.freeze({
  retry: Object.freeze({
    maxAttempts: 3,
    baseDelayMs: 200,
    maxDelayMs: 5000,
    maxRetryAfterMs: 10_000,
    rounds: 1,
    maxRequestAttempts: 10,
  }),
  timeouts: Object.freeze({ attemptMs: 60_000, totalMs: 120_000, stallMs: 30_000 }),
  breaker: Object.freeze({ failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 }),
  costCheck: Object.freeze({ tolerance: 0.05, maxReportedUsd: '5' }),
  connections: 128,
  hedgeAfterMs: 1000,
  requestLimits: Object.freeze({
    maxDepth: 64,
    maxMessages: 10_000,
    maxModels: 8,
    maxNameLength: 256,
    maxStringLength: 4 * 1024 * 1024,
  }),
  server: Object.freeze({
    headersTimeoutMs: 15_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 5000,
    maxConnections: 4096,
    maxConnectionsPerIp: undefined,
  }),
  upstreamLimits: Object.freeze({
    maxAnswerBytes: 16 * 1024 * 1024,
    maxStreamBytes: 64 * 1024 * 1024,
    maxStreamMs: 600_000,
    maxSseLineBytes: 8 * 1024 * 1024,
  }),
  cache: Object.freeze({
    ttlSeconds: 300,
    maxBytes: 64 * 1024 * 1024,
    maxEntryBytes: 1024 * 1024,
    scope: 'key' as const,
    nondeterministic: false,
    countHitsInLimits: false,
  }),
});

/** Every field of `defaults`, taken from `given` where it sets one; frozen. */
function withDefaults<T extends object>(
  defaults: T,
  given: { [K in keyof T]?: T[K] } | undefined,
): Readonly<T> {
  const resolved = { ...defaults };
  for (const key of Object.keys(defaults) as Array<keyof T>) resolved[key] = given?.[key] ?? defaults[key];
  return Object.freeze(resolved);
}

/**
 * Validates a configuration (throwing a `ConfigError` that lists every problem) and fills every
 * default once into a frozen {@link ResolvedConfig}.
 */
export function resolveConfig(input: unknown): ResolvedConfig {
  const config = validateConfig(input);
  const actions = {} as Record<OutcomeCode, OutcomeAction>;
  for (const code of OUTCOME_CODES) actions[code] = config.outcomes?.[code] ?? OUTCOME_RULES[code].action;
  const defaults = CONFIG_DEFAULTS;
  return Object.freeze({
    config,
    retry: withDefaults(defaults.retry, config.retry),
    timeouts: withDefaults(defaults.timeouts, config.timeouts),
    breaker: config.breaker === false ? undefined : withDefaults(defaults.breaker, config.breaker),
    costCheck: Object.freeze({
      tolerance: config.costCheck?.tolerance ?? defaults.costCheck.tolerance,
      maxReported: parseUsd(config.costCheck?.maxReportedUsd ?? defaults.costCheck.maxReportedUsd),
    }),
    ceiling: config.maxCostPerRequest === undefined ? undefined : parseUsd(config.maxCostPerRequest),
    actions: Object.freeze(actions),
    bundledCatalog: config.bundledCatalog !== false,
    allowRawModels: config.allowRawModels !== false,
    defaultProvider: config.defaultProvider ?? Object.keys(config.providers)[0] ?? '',
    connections: defaults.connections,
    hedgeAfterMs: defaults.hedgeAfterMs,
    upstreamLimits: withDefaults(defaults.upstreamLimits, config.upstreamLimits),
  });
}

/** The request shape limits of a config's `requestLimits`, every default filled in. */
export function resolveRequestLimits(given: RequestLimitsConfig | undefined): ResolvedRequestLimits {
  return withDefaults(CONFIG_DEFAULTS.requestLimits, given);
}

/**
 * The server limits of a config's `server`, every default filled in. A `headersTimeoutMs` set
 * above the default `requestTimeoutMs` raises the latter to it (headers are part of the request).
 */
export function resolveServerLimits(given: ServerLimitsConfig | undefined): ResolvedServerLimits {
  const resolved = withDefaults(CONFIG_DEFAULTS.server, given);
  if (resolved.headersTimeoutMs <= resolved.requestTimeoutMs) return resolved;
  return Object.freeze({ ...resolved, requestTimeoutMs: resolved.headersTimeoutMs });
}

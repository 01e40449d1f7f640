import type { BreakerState } from '../breaker/circuit-breaker.js';
import type { AnswerCache } from '../cache/answer-cache.js';
import { buildResponseCache } from '../cache/build-response-cache.js';
import { BUNDLED_CATALOG } from '../catalog/bundled-catalog.js';
import type { CatalogModel } from '../catalog/catalog-model.js';
import { type Clock, type Random, systemClock } from '../clock.js';
import type { SwitchyardConfig } from '../config/config-types.js';
import { resolveConfig } from '../config/resolve-config.js';
import { ConfigError } from '../errors/config-error.js';
import { createTargetRegistry } from '../routing/target-registry.js';
import { type BudgetGuard, type BudgetUsage, createBudgetGuard } from '../spend/budget-guard.js';
import type { BudgetStore } from '../spend/budget-store.js';
import { createFeeSchedule } from '../spend/fee-schedule.js';
import {
  createRateLimitGuard,
  type LimiterFactory,
  type RateLimitGuard,
  type RateLimitUsage,
} from '../spend/rate-limit-guard.js';
import type { SpendLedger } from '../spend/spend-ledger.js';
import { createSpendPolicy } from '../spend/spend-policy.js';
import { createUnpricedPolicies } from '../spend/unpriced-policy.js';
import { createMemoryStore, type SwitchyardStore } from '../store/switchyard-store.js';
import { createRouterTelemetry, type TelemetryOptions } from '../telemetry/router-telemetry.js';
import { createDeadlineScheduler } from '../transport/deadline-scheduler.js';
import type { Transport } from '../transport/transport.js';
import { createUndiciTransport } from '../transport/undici-transport.js';
import type { ChatRequest } from '../types/chat.js';
import type { EmbeddingRequest } from '../types/embeddings.js';
import type { ValidatorLike } from '../validators/validators-from-config.js';
import { describeTargets, type TargetDescription } from './describe-targets.js';
import {
  type ChatResult,
  type EmbeddingResult,
  type RouterContext,
  routeChat,
  routeEmbed,
  routeStream,
} from './route-call.js';
import type { RoutedStream } from './routed-stream.js';
import { createHookSet, type RouterHooks } from './router-hooks.js';
import type { RouterSettings } from './router-settings.js';
import type { CallOptions } from './start-execution.js';

export type { TargetDescription } from './describe-targets.js';
export type { ChatResult, EmbeddingResult } from './route-call.js';
export type { CallOptions } from './start-execution.js';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** The configuration (validated here; invalid config throws a `ConfigError`). */
  config: SwitchyardConfig | unknown;
  /**
   * Model metadata in OpenRouter's `/models` format: context windows, prices, capabilities. Added
   * to (and winning over) the bundled snapshot, unless the config sets `bundledCatalog: false`.
   * Alias overrides in `models` win over both.
   */
  catalog?: readonly CatalogModel[];
  /**
   * How requests reach providers.
   * @default createUndiciTransport()
   */
  transport?: Transport;
  /**
   * Time for every timer: deadlines, attempt timeouts, hedging, stalls, backoff, breakers.
   * @default systemClock
   */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** Validators added to routes by name, e.g. `{ smart: [z.object({ title: z.string() })] }`. */
  validators?: Record<string, ValidatorLike[]>;
  /** Event hooks for logs and metrics (more can be added later with `router.observe`). */
  hooks?: RouterHooks;
  /**
   * The OpenTelemetry instrumentation: a client span per attempt and the GenAI instruments, made
   * with the global `@opentelemetry/api` (no-ops unless an SDK is registered: register it before
   * creating the router).
   * @default { captureMessageContent: false }
   */
  telemetry?: TelemetryOptions;
  /**
   * Where shared state lives: budgets, rate limits, breakers, latency estimates, the ledger.
   * Required when the config says `store: { type: redis }` (`createRedisStore` from
   * `@switchyard/redis`). The router closes it in `close()`.
   * @default createMemoryStore()
   */
  store?: SwitchyardStore;
  /**
   * Where budget reservations are counted (wins over the store's).
   * @default the store's
   */
  budgetStore?: BudgetStore;
  /**
   * Where rate-limit counters live (rate-limiter-flexible limiters; wins over the store's).
   * @default the store's
   */
  limiterFactory?: LimiterFactory;
  /**
   * Where every settled attempt is recorded (wins over the store's).
   * @default the store's
   */
  ledger?: SpendLedger;
  /**
   * Where cached answers live, for the routes the config's `cache` turns on (wins over the
   * store's).
   * @default the store's (Redis), else an LRU in memory bounded by `cache.maxBytes`
   */
  cache?: AnswerCache;
}

/** The router: resolves `request.model`, routes, retries, validates and traces. */
export interface Router {
  /**
   * Sends a chat request through its route. Rejects with a `RoutingError` (which carries the
   * trace) when no target could serve.
   */
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  /**
   * Streams a chat request. Resolves once a target sent its first content chunk (fallback is
   * possible until then), with a {@link RoutedStream} to iterate.
   */
  stream(request: ChatRequest, options?: CallOptions): Promise<RoutedStream>;
  /**
   * Embeds texts (or token arrays) through a route, alias or model: the same loop as a chat
   * (fallback, retries, breakers, budgets, rate limits, the ledger, the trace), priced by input
   * tokens at the model's `prompt` price. Targets whose model serves chat only are skipped
   * (`chat_only`). Rejects with a `RoutingError` when no target could serve.
   * @example
   * const { response } = await router.embed({ model: 'embed', input: ['cats purr', 'dogs bark'] });
   * response.data[0].embedding; // number[]
   */
  embed(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResult>;
  /** Names a request may use: routes and aliases. */
  names(): { routes: string[]; models: string[] };
  /**
   * The request headers (lower-case names) that `conditional` routes' rules read: all a gateway
   * passes to a call's `headers`; empty when no rule reads one (then none is passed at all).
   */
  readonly headerNames?: readonly string[];
  /** Every route and alias with its strategy, targets, context window and prices (for `/v1/models`). */
  describe(): TargetDescription[];
  /** Every settled attempt: spend by key, user, route, model, period; CSV and JSON export. */
  readonly ledger: SpendLedger;
  /**
   * What each budget has left in its current period (the store's counters: the fleet's, on Redis).
   * Budgets that count each key, user, route... report the `values` given; pass `extra` for
   * per-call budgets (a gateway key's `budget`, from `keyBudget`).
   */
  budgetUsage(options?: Parameters<BudgetGuard['usage']>[0]): Promise<BudgetUsage[]>;
  /**
   * The counters of each rate limit for the `values` given of its scope (providers, model ids, key
   * names; a plain `match` reports its own), read from the store without counting anything.
   */
  rateLimitUsage(options?: Parameters<RateLimitGuard['usage']>[0]): Promise<RateLimitUsage[]>;
  /** Breaker state of every target, by `provider/model`. */
  breakerStates(): Record<string, BreakerState>;
  /** Where shared state lives. */
  readonly store: SwitchyardStore;
  /**
   * What the configuration does that an operator should hear about at start-up: every place that
   * exempts unpriced targets from budgets and the ceiling (`unpriced: allow`). Gateways log them.
   */
  readonly warnings: readonly string[];
  /**
   * Adds event hooks after creation (a metrics exporter, a logger), told after those given to
   * `createRouter`; a hook that throws is ignored. Returns what removes them.
   * @example
   * const stop = router.observe({ onResult: (trace) => console.log(trace.served?.model, trace.costUsd) });
   */
  observe(hooks: RouterHooks): () => void;
  /** Closes pooled connections and the store. */
  close(): Promise<void>;
}

/**
 * Creates a router from a configuration: resolves the configuration once, compiles its targets,
 * and wires the store, the spend policy, the transport and the clock. Each call is then routed by
 * `routeChat` / `routeStream`.
 *
 * @example
 * const router = createRouter({ config: await loadConfig('switchyard.yaml') });
 * const { response, trace } = await router.chat({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] });
 */
export function createRouter(options: RouterOptions): Router {
  const resolved = resolveConfig(options.config);
  const { config } = resolved;
  const clock = options.clock ?? systemClock;
  if (config.store?.type === 'redis' && (options.store === undefined || options.store.kind === 'memory')) {
    throw new ConfigError([
      {
        path: 'store',
        message:
          'type "redis" needs a Redis store: pass `store: createRedisStore(config.store)` from @switchyard/redis to createRouter',
      },
    ]);
  }
  const store =
    options.store ?? createMemoryStore({ clock, ...(config.ledger ? { ledger: config.ledger } : {}) });
  const registry = createTargetRegistry({
    resolved,
    catalog: [...(options.catalog ?? []), ...(resolved.bundledCatalog ? BUNDLED_CATALOG.models : [])],
    clock,
    validators: options.validators ?? {},
    ...(store.health === undefined ? {} : { health: store.health }),
  });
  store.health?.attach(
    {
      openBreaker: (key, remainingMs) => registry.breakers.get(key)?.openFor(remainingMs),
      closeBreaker: (key) => registry.breakers.get(key)?.reset(),
      setLatency: (key, ms) => registry.health.get(key)?.latency.set(ms),
    },
    resolved.breaker,
  );
  const fees = createFeeSchedule({ providers: config.providers, now: clock.now });
  const unpriced = createUnpricedPolicies(config);
  const ledger = options.ledger ?? store.ledger;
  const limits = createRateLimitGuard({
    limits: config.limits ?? [],
    factory: options.limiterFactory ?? store.limiterFactory,
    now: clock.now,
  });
  const hookSet = createHookSet(options.hooks);
  const budgets = createBudgetGuard({
    budgets: config.budgets ?? [],
    store: options.budgetStore ?? store.budgets,
    now: clock.now,
  });
  const settings: RouterSettings = Object.freeze({
    retry: resolved.retry,
    timeouts: resolved.timeouts,
    actions: resolved.actions,
    costCheck: resolved.costCheck,
    upstreamLimits: resolved.upstreamLimits,
    spend: createSpendPolicy({
      ceiling: resolved.ceiling,
      budgets,
      limits,
      fees,
      unpriced,
    }),
    fees,
    ledger,
    transport: options.transport ?? createUndiciTransport(),
    scheduler: createDeadlineScheduler(clock),
    clock,
    random: options.random ?? Math.random,
    hooks: hookSet.hooks,
    telemetry: createRouterTelemetry(options.telemetry),
    secrets: registry.secrets,
    pricingOf: registry.pricingOf,
    cache: buildResponseCache({
      config,
      store,
      clock,
      limits,
      ...(options.cache ? { cache: options.cache } : {}),
    }),
  });
  const context: RouterContext = { settings, registry };

  return {
    chat: (request, callOptions = {}) => routeChat(context, { request, options: callOptions }),
    stream: (request, callOptions = {}) => routeStream(context, { request, options: callOptions }),
    embed: (request, callOptions = {}) => routeEmbed(context, { request, options: callOptions }),
    ledger,
    store,
    warnings: unpriced.exemptions.map(
      (path) => `${path}: allow — budgets and the cost ceiling do not apply to unpriced targets there`,
    ),
    describe: () => describeTargets(registry),
    headerNames: registry.headerNames,
    names: () => ({ routes: [...registry.routes.keys()], models: [...registry.models.keys()] }),
    budgetUsage: (usageOptions) => budgets.usage(usageOptions),
    rateLimitUsage: (usageOptions) => limits.usage(usageOptions),
    breakerStates() {
      const states: Record<string, BreakerState> = {};
      for (const [key, breaker] of registry.breakers) states[key] = breaker.state();
      return states;
    },
    observe: (hooks) => hookSet.add(hooks),
    async close() {
      await Promise.all([settings.transport.close(), store.close()]);
    },
  };
}

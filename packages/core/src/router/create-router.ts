import type { BreakerState } from '../breaker/circuit-breaker.js';
import { BUNDLED_CATALOG } from '../catalog/bundled-catalog.js';
import type { CatalogModel } from '../catalog/catalog-model.js';
import { type Clock, type Random, systemClock } from '../clock.js';
import type { BudgetConfig, SwitchyardConfig } from '../config/config-types.js';
import { validateConfig } from '../config/validate-config.js';
import { AttemptError } from '../errors/attempt-error.js';
import { ConfigError } from '../errors/config-error.js';
import {
  OUTCOME_CODES,
  OUTCOME_RULES,
  type OutcomeAction,
  type OutcomeCode,
} from '../errors/outcome-codes.js';
import { RoutingError } from '../errors/routing-error.js';
import { StoreUnavailableError } from '../errors/store-unavailable-error.js';
import { formatUsd, parseUsd } from '../pricing/money.js';
import { profileRequest } from '../routing/request-profile.js';
import type { RouteTarget, Target } from '../routing/target.js';
import { createTargetRegistry } from '../routing/target-registry.js';
import { createBudgetGuard } from '../spend/budget-guard.js';
import type { BudgetStore } from '../spend/budget-store.js';
import { createFeeSchedule } from '../spend/fee-schedule.js';
import { createRateLimitGuard, type LimiterFactory } from '../spend/rate-limit-guard.js';
import type { SpendLedger } from '../spend/spend-ledger.js';
import { createSpendPolicy } from '../spend/spend-policy.js';
import type { Caller } from '../spend/spend-scope.js';
import { createMemoryStore, type SwitchyardStore } from '../store/switchyard-store.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { Cancellation, type CancelSignal } from '../transport/cancel-signal.js';
import { createDeadlineScheduler } from '../transport/deadline-scheduler.js';
import type { Transport } from '../transport/transport.js';
import { createUndiciTransport } from '../transport/undici-transport.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import { toValidator, type ValidatorLike } from '../validators/validators-from-config.js';
import {
  closeTrace,
  type Execution,
  flushPending,
  isRouteSurprise,
  type RouterSettings,
  type Scope,
} from './execution.js';
import { Interruption } from './interruption.js';
import { RoutedStream } from './routed-stream.js';
import { emit, type RouterHooks } from './router-hooks.js';
import { runTarget, TargetSkipped } from './run-target.js';
import type { Served } from './send-attempt.js';

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
  /** @default systemClock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** Validators added to routes by name, e.g. `{ smart: [z.object({ title: z.string() })] }`. */
  validators?: Record<string, ValidatorLike[]>;
  /** Event hooks for logs and metrics. */
  hooks?: RouterHooks;
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
}

/** A route or an alias as a gateway lists it. */
export interface TargetDescription {
  id: string;
  kind: 'route' | 'model';
  /** Routes: the strategy and the targets in configured order. */
  strategy?: string;
  targets?: string[];
  /** Aliases: the provider and the model id sent upstream. */
  provider?: string;
  model?: string;
  contextLength?: number;
  /** USD per token as exact decimal strings, when known. */
  pricing?: { prompt: string; completion: string; request: string };
}

/** Options of one call. */
export interface CallOptions {
  /**
   * Aborts the call, including the upstream request in flight. An `AbortSignal`, or the lighter
   * {@link CancelSignal} (an `AbortSignal` listener measurably adds latency on a hot path).
   */
  signal?: AbortSignal | CancelSignal;
  /** Total deadline for this call in ms (overrides `timeouts.totalMs`). */
  timeoutMs?: number;
  /** Validators for this call only, added to the route's. */
  validate?: ValidatorLike[];
  /** Who is calling: budgets, rate limits and the ledger count by it. `user` defaults to the request's `user`. */
  caller?: Caller;
  /** A cost ceiling for this call in USD (the lower of it and `maxCostPerRequest` applies). */
  maxCostUsd?: string;
  /** Budgets for this call, on top of the configured ones (e.g. an adapter's per-route budget). */
  budgets?: BudgetConfig[];
}

/** A successful non-streamed call. */
export interface ChatResult {
  /** The upstream's answer, unchanged. */
  response: ChatResponse;
  /** How it was routed: served target, attempts, cost. */
  trace: RoutingTrace;
}

/** The router: resolves `request.model`, routes, retries, validates and traces. */
export interface Router {
  /**
   * Sends a chat request through its route. Rejects with a {@link RoutingError} (which carries
   * the trace) when no target could serve.
   */
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  /**
   * Streams a chat request. Resolves once a target sent its first content chunk (fallback is
   * possible until then), with a {@link RoutedStream} to iterate.
   */
  stream(request: ChatRequest, options?: CallOptions): Promise<RoutedStream>;
  /** Names a request may use: routes and aliases. */
  names(): { routes: string[]; models: string[] };
  /** Every route and alias with its strategy, targets, context window and prices (for `/v1/models`). */
  describe(): TargetDescription[];
  /** Every settled attempt: spend by key, user, route, model, period; CSV and JSON export. */
  readonly ledger: SpendLedger;
  /** Breaker state of every target, by `provider/model`. */
  breakerStates(): Record<string, BreakerState>;
  /** Where shared state lives. */
  readonly store: SwitchyardStore;
  /** Closes pooled connections and the store. */
  close(): Promise<void>;
}

/** A cancellation for one call that aborts when the caller's signal does. */
function followCaller(signal: AbortSignal | CancelSignal | undefined): {
  cancellation: Cancellation;
  detach: () => void;
} {
  if (signal === undefined) return { cancellation: new Cancellation(), detach: () => undefined };
  if ('onAbort' in signal) {
    const cancellation = new Cancellation();
    const detach = signal.onAbort(() => cancellation.abort(new Interruption('caller')));
    return { cancellation, detach };
  }
  return Cancellation.fromAbortSignal(signal, new Interruption('caller'));
}

/** Name of the route built from a request's `models` list (not a valid config name: never clashes). */
const AD_HOC_CHAIN = '';

let sequence = 0;
/** Unique across a fleet: replicas share a ledger, so ids carry a per-process random part. */
const PROCESS_TAG = Math.floor(Math.random() * 36 ** 4)
  .toString(36)
  .padStart(4, '0');
const requestId = (): string => `swy-${Date.now().toString(36)}-${PROCESS_TAG}${(sequence++).toString(36)}`;

function resolveActions(overrides: SwitchyardConfig['outcomes']): Record<OutcomeCode, OutcomeAction> {
  const actions = {} as Record<OutcomeCode, OutcomeAction>;
  for (const code of OUTCOME_CODES) actions[code] = overrides?.[code] ?? OUTCOME_RULES[code].action;
  return actions;
}

const SKIP_CODES: Record<string, OutcomeCode> = {
  context_window: 'context_length',
  max_completion_tokens: 'invalid_request',
  breaker_open: 'upstream_unavailable',
  over_ceiling: 'cost_ceiling',
  cost_unknown: 'cost_ceiling',
  budget: 'budget_exceeded',
  rate_limit: 'rate_limited',
};

/**
 * Creates a router from a configuration.
 *
 * @example
 * const router = createRouter({ config: await loadConfig('switchyard.yaml') });
 * const { response, trace } = await router.chat({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] });
 */
export function createRouter(options: RouterOptions): Router {
  const config = validateConfig(options.config);
  const clock = options.clock ?? systemClock;
  const catalog = [
    ...(options.catalog ?? []),
    ...(config.bundledCatalog === false ? [] : BUNDLED_CATALOG.models),
  ];
  if (config.store?.type === 'redis' && (options.store === undefined || options.store.kind === 'memory')) {
    throw new ConfigError([
      {
        path: 'store',
        message:
          'type "redis" needs a Redis store: pass `store: createRedisStore(config.store)` from @switchyard/redis to createRouter',
      },
    ]);
  }
  const store = options.store ?? createMemoryStore({ clock });
  const registry = createTargetRegistry({
    config,
    catalog,
    clock,
    validators: options.validators ?? {},
    ...(store.health === undefined ? {} : { health: store.health }),
  });
  if (store.health !== undefined) {
    store.health.attach(
      {
        openBreaker: (key, remainingMs) => registry.breakers.get(key)?.openFor(remainingMs),
        closeBreaker: (key) => registry.breakers.get(key)?.reset(),
        setLatency: (key, ms) => registry.health.get(key)?.latency.set(ms),
      },
      config.breaker === false
        ? undefined
        : {
            failureThreshold: config.breaker?.failureThreshold ?? 5,
            windowMs: config.breaker?.windowMs ?? 60_000,
            cooldownMs: config.breaker?.cooldownMs ?? 30_000,
          },
    );
  }
  const fees = createFeeSchedule({ providers: config.providers, now: clock.now });
  const ledger = options.ledger ?? store.ledger;
  const spend = createSpendPolicy({
    ceiling: config.maxCostPerRequest === undefined ? undefined : parseUsd(config.maxCostPerRequest),
    budgets: createBudgetGuard({
      budgets: config.budgets ?? [],
      store: options.budgetStore ?? store.budgets,
      now: clock.now,
    }),
    limits: createRateLimitGuard({
      limits: config.limits ?? [],
      factory: options.limiterFactory ?? store.limiterFactory,
    }),
    fees,
  });
  const settings: RouterSettings = {
    spend,
    fees,
    ledger,
    costCheck: {
      tolerance: config.costCheck?.tolerance ?? 0.05,
      maxReported: parseUsd(config.costCheck?.maxReportedUsd ?? '5'),
    },
    transport: options.transport ?? createUndiciTransport(),
    scheduler: createDeadlineScheduler(),
    clock,
    random: options.random ?? Math.random,
    hooks: options.hooks ?? {},
    secrets: registry.secrets,
    actions: resolveActions(config.outcomes),
    retry: {
      maxAttempts: config.retry?.maxAttempts ?? 3,
      baseDelayMs: config.retry?.baseDelayMs ?? 200,
      maxDelayMs: config.retry?.maxDelayMs ?? 5000,
      maxRetryAfterMs: config.retry?.maxRetryAfterMs ?? 10_000,
    },
    timeouts: {
      attemptMs: config.timeouts?.attemptMs ?? 60_000,
      totalMs: config.timeouts?.totalMs ?? 120_000,
      stallMs: config.timeouts?.stallMs ?? 30_000,
    },
  };

  const newTrace = (requestedModel: string, startedAt: number, caller: Caller): RoutingTrace => ({
    id: requestId(),
    caller: { key: caller.key, user: caller.user, tags: caller.tags ?? [] },
    feeUsd: '0',
    requestedModel,
    route: undefined,
    strategy: undefined,
    served: undefined,
    routeSurprise: false,
    fallback: false,
    escalated: false,
    hedged: false,
    attempts: [],
    skipped: [],
    startedAt,
    latencyMs: 0,
    costUsd: '0',
    promptTokens: 0,
    completionTokens: 0,
  });

  const fail = (trace: RoutingTrace, code: OutcomeCode, message: string): RoutingError =>
    new RoutingError({ code, message, trace });

  /** The target tree for a request: its model, or its ad-hoc `models` chain. */
  const resolveRoot = (request: ChatRequest, trace: RoutingTrace): Target => {
    const names = [request.model, ...(Array.isArray(request.models) ? request.models : [])].filter(
      (name, index, all) => all.indexOf(name) === index,
    );
    const targets = names.map((name) => {
      const target = registry.resolve(name);
      if (target === undefined) throw fail(trace, 'no_route', `unknown model or route "${name}"`);
      return target;
    });
    if (targets.length === 1) return targets[0] as Target;
    const chain: RouteTarget = {
      kind: 'route',
      name: AD_HOC_CHAIN,
      strategy: 'fallback',
      entries: targets.map((target) => ({ target, weight: 1 })),
      validators: [],
      hedgeAfterMs: 0,
    };
    return chain;
  };

  const begin = (request: ChatRequest, callOptions: CallOptions, stream: boolean) => {
    const startedAt = clock.monotonic();
    const caller: Caller = {
      ...callOptions.caller,
      ...(callOptions.caller?.user === undefined && typeof request?.user === 'string'
        ? { user: request.user }
        : {}),
    };
    const trace = newTrace(typeof request?.model === 'string' ? request.model : '', clock.now(), caller);
    let maxCost: bigint | undefined;
    if (callOptions.maxCostUsd !== undefined) {
      try {
        maxCost = parseUsd(callOptions.maxCostUsd);
      } catch {
        throw fail(
          trace,
          'invalid_request',
          `maxCostUsd must be a USD decimal string, got "${callOptions.maxCostUsd}"`,
        );
      }
    }
    if (typeof request !== 'object' || request === null)
      throw fail(trace, 'invalid_request', 'the request must be an object');
    if (typeof request.model !== 'string' || request.model === '') {
      throw fail(trace, 'invalid_request', '"model" must name a route, an alias or a model id');
    }
    if (!Array.isArray(request.messages) || request.messages.length === 0) {
      throw fail(trace, 'invalid_request', '"messages" must be a non-empty array');
    }
    const root = resolveRoot(request, trace);
    if (root.kind === 'route') {
      trace.route = root.name === AD_HOC_CHAIN ? undefined : root.name;
      trace.strategy = root.strategy;
    }
    const totalMs = callOptions.timeoutMs ?? settings.timeouts.totalMs;
    const callerSignal = callOptions.signal;
    const { cancellation, detach } = followCaller(callerSignal);
    const execution: Execution = {
      settings,
      request,
      profile: profileRequest(request),
      stream,
      trace,
      startedAt,
      deadlineAt: performance.now() + totalMs,
      callValidators: (callOptions.validate ?? []).map(toValidator),
      cost: 0n,
      fee: 0n,
      restBody: undefined,
      caller,
      call: {
        ...(maxCost === undefined ? {} : { maxCost }),
        ...(callOptions.budgets === undefined ? {} : { budgets: callOptions.budgets }),
      },
      admissions: new Map(),
      budgetDenial: undefined,
      pending: [],
    };
    const scope: Scope = {
      signal: cancellation,
      validators: execution.callValidators,
      hasAlternatives: () => false,
    };
    return { execution, root, scope, end: detach };
  };

  const markServed = (execution: Execution, served: Served): void => {
    const returnedModel = served.attempt.returnedModel ?? served.target.model;
    const upstreamProvider =
      served.kind === 'response' ? served.response.provider : served.stream.buffered[0]?.provider;
    execution.trace.served = {
      target: served.target.name,
      provider: served.target.provider,
      model: served.target.model,
      returnedModel,
      upstreamProvider,
    };
    execution.trace.routeSurprise = isRouteSurprise(served.target.model, returnedModel);
  };

  /** Turns whatever ended a request into the one RoutingError the caller sees. */
  const toRoutingError = (execution: Execution, error: unknown): RoutingError => {
    const trace = closeTrace(execution);
    if (error instanceof RoutingError) return error;
    if (StoreUnavailableError.isInstance(error)) {
      return new RoutingError({
        code: 'store_unavailable',
        message: error.message,
        trace,
        retryAfterMs: error.retryAfterMs ?? 1000,
        cause: error,
      });
    }
    if (Interruption.isInstance(error)) {
      return error.kind === 'deadline'
        ? fail(
            trace,
            'deadline_exceeded',
            `no answer within the deadline of ${Math.round(execution.deadlineAt - execution.startedAt)} ms`,
          )
        : fail(trace, 'aborted', 'the request was aborted by the caller');
    }
    if (error instanceof TargetSkipped && trace.attempts.length === 0) {
      const reasons = trace.skipped
        .map((skipped) => `${skipped.target}: ${skipped.detail ?? skipped.reason}`)
        .join('; ');
      const first = trace.skipped[0]?.reason ?? '';
      const code = SKIP_CODES[first] ?? (first.startsWith('capability:') ? 'not_supported' : 'no_route');
      const detail =
        code === 'context_length' ? ` (the prompt is about ${execution.profile.promptTokens()} tokens)` : '';
      const waits = trace.skipped.flatMap((skipped) =>
        skipped.retryAfterMs === undefined ? [] : [skipped.retryAfterMs],
      );
      return new RoutingError({
        code,
        message: `no target can serve this request${detail}: ${reasons || 'no targets'}`,
        trace,
        ...(waits.length > 0 && (code === 'rate_limited' || code === 'budget_exceeded')
          ? { retryAfterMs: Math.min(...waits) }
          : {}),
        ...(execution.budgetDenial === undefined ? {} : { budget: execution.budgetDenial }),
      });
    }
    const failed = trace.attempts.filter(
      (attempt) =>
        attempt.outcome !== 'success' && attempt.outcome !== 'aborted' && attempt.outcome !== 'pending',
    );
    const codes = new Set(failed.map((attempt) => attempt.outcome as OutcomeCode));
    const lastError = error instanceof AttemptError ? error : undefined;
    if (failed.length <= 1 && lastError !== undefined) {
      return new RoutingError({
        code: lastError.code,
        message: lastError.message,
        trace,
        lastError,
        ...(lastError.retryAfterMs === undefined ? {} : { retryAfterMs: lastError.retryAfterMs }),
        cause: error,
      });
    }
    const code: OutcomeCode = codes.size === 1 ? ([...codes][0] as OutcomeCode) : 'all_targets_failed';
    const lines = failed.map(
      (attempt) =>
        `${attempt.target}: ${attempt.outcome}${attempt.status === undefined ? '' : ` (HTTP ${attempt.status})`}`,
    );
    const retryAfterMs = code === 'rate_limited' ? lastError?.retryAfterMs : undefined;
    return new RoutingError({
      code,
      message: `all ${failed.length} attempts failed: ${lines.join('; ')}`,
      trace,
      ...(lastError === undefined ? {} : { lastError }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      cause: error,
    });
  };

  const failWith = (execution: Execution | undefined, error: unknown): RoutingError => {
    const routingError = execution === undefined ? (error as RoutingError) : toRoutingError(execution, error);
    emit(settings.hooks.onError, routingError);
    return routingError;
  };

  return {
    async chat(request, callOptions = {}) {
      let started: ReturnType<typeof begin> | undefined;
      try {
        started = begin(request, callOptions, false);
        const served = await runTarget(started.execution, started.root, started.scope);
        if (served.kind !== 'response') throw new TypeError('a non-streamed call produced a stream');
        markServed(started.execution, served);
        const flushing = flushPending(started.execution);
        if (flushing !== undefined) await flushing;
        const trace = closeTrace(started.execution);
        emit(settings.hooks.onResult, trace);
        return { response: served.response, trace };
      } catch (error) {
        if (started !== undefined) await flushPending(started.execution);
        throw failWith(started?.execution, error);
      } finally {
        started?.end();
      }
    },

    async stream(request, callOptions = {}) {
      let started: ReturnType<typeof begin> | undefined;
      try {
        started = begin(request, callOptions, true);
        const served = await runTarget(started.execution, started.root, started.scope);
        if (served.kind !== 'stream') throw new TypeError('a streamed call produced a response');
        markServed(started.execution, served);
        const { execution, end } = started;
        return new RoutedStream({
          execution,
          target: served.target,
          attempt: served.attempt,
          stream: served.stream,
          onEnd: (error) => {
            end();
            closeTrace(execution);
            if (error === undefined) emit(settings.hooks.onResult, execution.trace);
            else emit(settings.hooks.onError, error);
          },
        });
      } catch (error) {
        started?.end();
        if (started !== undefined) await flushPending(started.execution);
        throw failWith(started?.execution, error);
      }
    },

    ledger,
    store,

    describe() {
      const descriptions: TargetDescription[] = [];
      for (const route of registry.routes.values()) {
        descriptions.push({
          id: route.name,
          kind: 'route',
          strategy: route.strategy,
          targets: route.entries.map((entry) => entry.target.name),
        });
      }
      for (const model of registry.models.values()) {
        descriptions.push({
          id: model.name,
          kind: 'model',
          provider: model.provider,
          model: model.model,
          ...(model.contextLength === undefined ? {} : { contextLength: model.contextLength }),
          ...(model.pricing === undefined
            ? {}
            : {
                pricing: {
                  prompt: formatUsd(model.pricing.prompt),
                  completion: formatUsd(model.pricing.completion),
                  request: formatUsd(model.pricing.request),
                },
              }),
        });
      }
      return descriptions;
    },

    names: () => ({ routes: [...registry.routes.keys()], models: [...registry.models.keys()] }),

    breakerStates() {
      const states: Record<string, BreakerState> = {};
      for (const [key, breaker] of registry.breakers) states[key] = breaker.state();
      return states;
    },

    async close() {
      await Promise.all([settings.transport.close(), store.close()]);
    },
  };
}

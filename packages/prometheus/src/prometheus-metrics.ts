import {
  formatUsd,
  type Picodollars,
  parseUsd,
  type Router,
  type RouterHooks,
  RoutingError,
  type RoutingTrace,
} from '@switchyard/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createLabelFolder } from './label-folder.js';

/** Options of {@link createPrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** The router to observe (through `router.observe`; nothing is added to its hot path but the hooks). */
  router: Router;
  /**
   * Where the metrics are registered: yours, to serve them beside your app's own.
   * @default a new prom-client `Registry`
   */
  registry?: Registry;
  /**
   * Most distinct values a `model`, `target`, `key`, `expected` or `served` label takes before
   * new ones are counted as `other`: an upstream or a caller can't grow the series without bound.
   * @default 100
   */
  maxLabelValues?: number;
  /**
   * Bucket boundaries (seconds) of `switchyard_request_duration_seconds` and
   * `switchyard_time_to_first_token_seconds`.
   * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
   */
  buckets?: number[];
}

/** A router's Prometheus metrics. */
export interface PrometheusMetrics {
  /** The prom-client registry holding them: serve `registry.metrics()` at your own `/metrics`. */
  readonly registry: Registry;
  /** The `Content-Type` of the text exposition (`text/plain; version=0.0.4; charset=utf-8`). */
  readonly contentType: string;
  /** The text exposition of every metric in the registry. */
  metrics(): Promise<string>;
  /** Stops observing the router (the registry keeps what it counted). */
  close(): void;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The label of a route: its name, or empty for an alias, a raw model id or a `models` list. */
const routeOf = (trace: RoutingTrace): string => trace.route ?? '';

/**
 * Counts a router's traffic for Prometheus on a prom-client registry:
 * - `switchyard_requests_total{route,model,provider,status,code}` per request (`code` is
 *   `success` or the error code; `model` and `provider` are who served, empty when none did);
 * - `switchyard_attempts_total{target,outcome}`, `switchyard_fallbacks_total{route}` (each
 *   hand-over to the next target), `switchyard_route_surprises_total{route,expected,served}`;
 * - `switchyard_cost_usd_total{route,model,key}`: summed exactly (integer picodollars), turned into
 *   a number only when scraped; `key` is the gateway key's name, never the key;
 * - `switchyard_tokens_total{model,type}` (`input`, `output`, `cached_input`, `reasoning`);
 * - `switchyard_request_duration_seconds{route}` and `switchyard_time_to_first_token_seconds{model}`;
 * - `switchyard_breaker_open{target}` (1 when open), `switchyard_budget_remaining_usd{budget}`,
 *   `switchyard_rate_limit_skips_total{target}`, read or counted as they happen.
 *
 * @example
 * const metrics = createPrometheusMetrics({ router });
 * app.get('/metrics', async (_request, response) => {
 *   response.type(metrics.contentType).send(await metrics.metrics());
 * });
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const { router } = options;
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  const max = options.maxLabelValues ?? 100;
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`maxLabelValues must be a positive integer, got ${String(max)}`);
  const models = createLabelFolder(max);
  const targets = createLabelFolder(max);
  const keys = createLabelFolder(max);
  const buckets = options.buckets ?? DEFAULT_BUCKETS;

  const requests = new Counter({
    name: 'switchyard_requests_total',
    help: 'Requests routed, by route, serving model and provider, HTTP status and code',
    labelNames: ['route', 'model', 'provider', 'status', 'code'] as const,
    registers,
  });
  const attempts = new Counter({
    name: 'switchyard_attempts_total',
    help: 'Upstream attempts, by target and outcome',
    labelNames: ['target', 'outcome'] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: 'switchyard_fallbacks_total',
    help: 'Times a failed target handed a request to the next one, by route',
    labelNames: ['route'] as const,
    registers,
  });
  const surprises = new Counter({
    name: 'switchyard_route_surprises_total',
    help: 'Answers served by another model than the one sent, by route, sent and served model',
    labelNames: ['route', 'expected', 'served'] as const,
    registers,
  });
  // Money is added exactly, as picodollars, and only turned into a float when scraped.
  const spent = new Map<string, { labels: Record<'route' | 'model' | 'key', string>; amount: Picodollars }>();
  new Counter({
    name: 'switchyard_cost_usd_total',
    help: 'Cost of every attempt in USD (fees included), by route, model and gateway key name',
    labelNames: ['route', 'model', 'key'] as const,
    registers,
    collect() {
      this.reset();
      for (const { labels, amount } of spent.values()) this.inc(labels, Number(formatUsd(amount)));
    },
  });
  const tokens = new Counter({
    name: 'switchyard_tokens_total',
    help: 'Tokens the upstreams reported, by model and type (input, output, cached_input, reasoning)',
    labelNames: ['model', 'type'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'switchyard_request_duration_seconds',
    help: 'Time from a request reaching the router to its answer (a stream: to its end), by route',
    labelNames: ['route'] as const,
    buckets,
    registers,
  });
  const firstToken = new Histogram({
    name: 'switchyard_time_to_first_token_seconds',
    help: 'Time from sending a streamed request upstream to its first content chunk, by served model',
    labelNames: ['model'] as const,
    buckets,
    registers,
  });
  new Gauge({
    name: 'switchyard_breaker_open',
    help: 'Whether the circuit breaker of a target (provider/model) is open (1) or not (0)',
    labelNames: ['target'] as const,
    registers,
    collect() {
      this.reset();
      for (const [target, state] of Object.entries(router.breakerStates()))
        this.set({ target: targets.fold(target) }, state === 'open' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_budget_remaining_usd',
    help: 'What a configured budget of one bucket has left in its current period, in USD',
    labelNames: ['budget'] as const,
    registers,
    async collect() {
      // Budgets of one counter each (global, or a plain match): one that counts every key or user
      // separately has no single figure to show.
      const budgets = await router.budgetUsage();
      this.reset();
      for (const usage of budgets) this.set({ budget: usage.budget }, Number(usage.remainingUsd));
    },
  });
  const rateLimitSkips = new Counter({
    name: 'switchyard_rate_limit_skips_total',
    help: 'Targets passed over because a configured rate limit was reached, by target',
    labelNames: ['target'] as const,
    registers,
  });

  /** What every request counts, served or not. */
  const countRequest = (trace: RoutingTrace, status: number, code: string): void => {
    const route = routeOf(trace);
    const served = trace.served;
    requests.inc({
      route,
      model: served === undefined ? '' : models.fold(served.model),
      provider: served?.provider ?? '',
      status: String(status),
      code,
    });
    duration.observe({ route }, trace.latencyMs / 1000);
    for (const skipped of trace.skipped)
      if (skipped.reason === 'rate_limit') rateLimitSkips.inc({ target: targets.fold(skipped.target) });
  };

  const hooks: RouterHooks = {
    onAttempt(attempt, trace) {
      attempts.inc({ target: targets.fold(attempt.target), outcome: attempt.outcome });
      const model = models.fold(attempt.model);
      const cost = parseUsd(attempt.costUsd);
      if (cost !== 0n) {
        const route = routeOf(trace);
        const key = keys.fold(trace.caller.key ?? '');
        const id = `${route}\u0000${model}\u0000${key}`;
        const found = spent.get(id);
        if (found === undefined) spent.set(id, { labels: { route, model, key }, amount: cost });
        else found.amount += cost;
      }
      const usage = attempt.usage;
      if (usage !== undefined) {
        tokens.inc({ model, type: 'input' }, usage.promptTokens);
        if (usage.completionTokens > 0) tokens.inc({ model, type: 'output' }, usage.completionTokens);
        if (usage.cachedTokens > 0) tokens.inc({ model, type: 'cached_input' }, usage.cachedTokens);
        if (usage.reasoningTokens > 0) tokens.inc({ model, type: 'reasoning' }, usage.reasoningTokens);
      }
    },
    onFallback(event) {
      fallbacks.inc({ route: routeOf(event.trace) });
    },
    onResult(trace) {
      countRequest(trace, 200, 'success');
      const served = trace.served;
      if (served === undefined) return;
      if (trace.routeSurprise)
        surprises.inc({
          route: routeOf(trace),
          expected: models.fold(served.model),
          served: models.fold(served.returnedModel),
        });
      const winner = trace.attempts.find((attempt) => attempt.outcome === 'success' && !attempt.hedgeLoser);
      if (winner?.firstChunkMs !== undefined)
        firstToken.observe({ model: models.fold(served.model) }, winner.firstChunkMs / 1000);
    },
    onError(error) {
      if (!RoutingError.isInstance(error)) return;
      countRequest(error.trace, error.status, error.code);
    },
  };
  const stop = router.observe(hooks);
  return {
    registry,
    contentType: registry.contentType,
    metrics: () => registry.metrics(),
    close: stop,
  };
}

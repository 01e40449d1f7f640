import type {
  BreakerState,
  BudgetUsage,
  GatewayKeyConfig,
  LedgerEntry,
  RateLimitUsage,
  Router,
} from '@switchyard/core';
import { keyBudget } from '@switchyard/core/node';

/** A target of a route, with its breaker. */
export interface RouteTargetState {
  target: string;
  provider: string | undefined;
  /** The model id sent upstream. */
  model: string | undefined;
  /** The breaker of `provider/model`; undefined when breakers are off or it never ran. */
  breaker: BreakerState | undefined;
}

/** What `/admin/routes` answers. */
export interface RoutesReport {
  /** Where shared state lives: `memory` or `redis` (then budgets and breakers are the fleet's). */
  store: string;
  routes: Array<{ name: string; strategy: string | undefined; targets: RouteTargetState[] }>;
  /** Aliases: their provider, model, breaker and prices (USD per token, exact). */
  models: Array<
    RouteTargetState & { pricing: { prompt: string; completion: string; request: string } | undefined }
  >;
  /** Every breaker this replica knows, by `provider/model`. */
  breakers: Record<string, BreakerState>;
  /** What each budget has left in its current period (the configured ones and each key's). */
  budgets: BudgetUsage[];
  /**
   * The client-side rate limits' counters now (requests or tokens used and left in the window), for
   * each provider, model and key known; the store's, so the fleet's on Redis.
   */
  rateLimits: RateLimitUsage[];
}

const MONTH_MS = 31 * 86_400_000;

/**
 * Routes and their targets with breaker states, budgets with what is left, and the rate limits'
 * counters. Budgets and limits that count each value of their scope report the values known: the
 * configured keys, routes, providers and models, and those in the last month's ledger.
 */
export async function routesReport(options: {
  router: Router;
  keys?: readonly GatewayKeyConfig[];
  now?: number;
}): Promise<RoutesReport> {
  const { router } = options;
  const descriptions = router.describe();
  const breakers = router.breakerStates();
  const aliases = new Map(
    descriptions.filter((entry) => entry.kind === 'model').map((entry) => [entry.id, entry]),
  );
  const stateOf = (target: string): RouteTargetState => {
    const alias = aliases.get(target);
    const provider = alias?.provider;
    const model = alias?.model ?? target;
    return {
      target,
      provider,
      model,
      breaker: provider === undefined ? undefined : breakers[`${provider}/${model}`],
    };
  };
  const recent: LedgerEntry[] = await router.ledger.query({ from: (options.now ?? Date.now()) - MONTH_MS });
  const seen = (pick: (entry: LedgerEntry) => readonly (string | undefined)[]): string[] => {
    const values = new Set<string>();
    for (const entry of recent) for (const value of pick(entry)) if (value !== undefined) values.add(value);
    return [...values];
  };
  const keys = options.keys ?? [];
  const keyNames = [...keys.map((key) => key.name), ...seen((entry) => [entry.key])];
  const models = [
    ...descriptions.flatMap((entry) => (entry.model === undefined ? [] : [entry.model])),
    ...seen((entry) => [entry.model]),
  ];
  // Read together: with a shared store, one wait; and neither is left rejecting unobserved.
  const [rateLimits, budgets] = await Promise.all([
    router.rateLimitUsage({
      values: {
        key: keyNames,
        model: models,
        provider: [
          ...descriptions.flatMap((entry) => (entry.provider === undefined ? [] : [entry.provider])),
          ...seen((entry) => [entry.provider]),
        ],
      },
    }),
    router.budgetUsage({
      values: {
        key: keyNames,
        user: seen((entry) => [entry.user]),
        tag: seen((entry) => entry.tags),
        route: router.names().routes,
        model: models,
      },
      extra: keys.flatMap((key) => keyBudget(key) ?? []),
    }),
  ]);
  return {
    store: router.store.kind,
    routes: descriptions
      .filter((entry) => entry.kind === 'route')
      .map((entry) => ({
        name: entry.id,
        strategy: entry.strategy,
        targets: (entry.targets ?? []).map(stateOf),
      })),
    models: [...aliases.values()].map((entry) => ({ ...stateOf(entry.id), pricing: entry.pricing })),
    breakers,
    budgets,
    rateLimits,
  };
}

import type { Reflector } from '@nestjs/core';
import type { BudgetConfig } from '@switchyard/core';
import { lowerCeiling } from '@switchyard/core/node';
import { LLM_BUDGET_METADATA, type LlmBudgetOptions } from './llm-budget.js';
import { NO_POLICY, type RoutePolicy } from './route-policy.js';
import { USE_ROUTE_METADATA, type UseRouteMetadata } from './use-route.js';

// One target type for both class and method metadata (Reflector takes any function).
// biome-ignore lint/complexity/noBannedTypes: Nest's own signature for decorated classes and handlers.
type Target = Function;

const SCOPES = { all: 'global', user: 'user', key: 'key' } as const;

/** The budget config of an `@LlmBudget()` with a period (one object per route: its counters are shared). */
function budgetOf(options: LlmBudgetOptions, defaultName: string): BudgetConfig | undefined {
  if (options.period === undefined) return undefined;
  const per = options.per ?? 'all';
  return {
    scope: SCOPES[per],
    usd: options.usd,
    period: options.period,
    name: options.name ?? (per === 'all' ? defaultName : `${defaultName} per ${per}`),
  };
}

const ceilingOf = (options: LlmBudgetOptions): string | undefined =>
  lowerCeiling(options.period === undefined ? options.usd : undefined, options.maxCostUsd);

const cache = new WeakMap<Target, WeakMap<Target, RoutePolicy>>();

/**
 * The policy of a handler from its own decorators and its controller's, compiled once per handler
 * (the budgets are the same objects on every request, as the router's budget counters expect).
 */
export function resolveRoutePolicy(input: {
  reflector: Reflector;
  controller: Target;
  handler: Target;
}): RoutePolicy {
  const { reflector, controller, handler } = input;
  let byHandler = cache.get(controller);
  if (byHandler === undefined) {
    byHandler = new WeakMap();
    cache.set(controller, byHandler);
  }
  const cached = byHandler.get(handler);
  if (cached !== undefined) return cached;

  const route =
    reflector.get<UseRouteMetadata | undefined>(USE_ROUTE_METADATA, handler) ??
    reflector.get<UseRouteMetadata | undefined>(USE_ROUTE_METADATA, controller);
  const onController = reflector.get<LlmBudgetOptions | undefined>(LLM_BUDGET_METADATA, controller);
  const onHandler = reflector.get<LlmBudgetOptions | undefined>(LLM_BUDGET_METADATA, handler);
  const budgets = [
    onController === undefined ? undefined : budgetOf(onController, controller.name),
    onHandler === undefined ? undefined : budgetOf(onHandler, `${controller.name}.${handler.name}`),
  ].filter((budget): budget is BudgetConfig => budget !== undefined);
  const maxCostUsd = lowerCeiling(
    onController === undefined ? undefined : ceilingOf(onController),
    onHandler === undefined ? undefined : ceilingOf(onHandler),
  );

  const policy: RoutePolicy =
    route === undefined && budgets.length === 0 && maxCostUsd === undefined
      ? NO_POLICY
      : { route: route?.route, override: route?.override ?? false, budgets, maxCostUsd };
  byHandler.set(handler, policy);
  return policy;
}

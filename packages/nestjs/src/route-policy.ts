import type { BudgetConfig } from '@switchyard/core';

/** What the decorators of one handler (and its controller) ask of the calls it makes. */
export interface RoutePolicy {
  /** `@UseRoute()`: the route or model of calls that name none (or of every call, with `override`). */
  readonly route: string | undefined;
  /** `@UseRoute(name, { override: true })`: the route replaces the one a call names. */
  readonly override: boolean;
  /** `@LlmBudget()` with a period: budgets of every call. */
  readonly budgets: readonly BudgetConfig[];
  /** `@LlmBudget()` without a period, or with `maxCostUsd`: the cost ceiling of each call. */
  readonly maxCostUsd: string | undefined;
}

/** The policy of a handler without decorators. */
export const NO_POLICY: RoutePolicy = {
  route: undefined,
  override: false,
  budgets: [],
  maxCostUsd: undefined,
};

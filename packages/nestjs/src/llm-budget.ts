import { SetMetadata } from '@nestjs/common';
import { type BudgetPeriod, parseUsd } from '@switchyard/core';

/** Metadata key of {@link LlmBudget}. */
export const LLM_BUDGET_METADATA = 'switchyard:llm-budget';

/** Options of {@link LlmBudget}. */
export interface LlmBudgetOptions {
  /**
   * USD as a decimal string. With a `period`: what the calls made while handling this route may
   * spend in each UTC period. Without: the cost ceiling of each call (a target whose worst case is
   * above it is skipped; with none left, a 402 `cost_ceiling` before any call).
   * @example '0.05'
   */
  usd: string;
  /** The budget's period; without one, `usd` is a per-call ceiling. */
  period?: BudgetPeriod;
  /**
   * Who shares a periodic budget: `all` callers of the route together, or one budget per `user` or
   * per `key` (as `identify` names them; calls without one are not counted by it).
   * @default 'all'
   */
  per?: 'all' | 'user' | 'key';
  /**
   * The budget's name, shown in the 402 message and counted under: two routes with the same name
   * share one budget.
   * @default `${Controller.name}.${handler.name}` (or `Controller.name` on a controller), plus ` per user` / ` per key`
   */
  name?: string;
  /** A per-call cost ceiling in USD besides the periodic budget. */
  maxCostUsd?: string;
}

/**
 * A budget and/or cost ceiling for the LLM calls made through `SwitchyardService` while handling a
 * route. On a controller it covers all its handlers; a handler's own budget adds to it (both must
 * allow a call) and the lower ceiling wins. Past the budget a call fails with a 402
 * (`budget_exceeded`, the message names the budget).
 * @example
 * @LlmBudget({ usd: '0.05' })                                // each call may cost at most $0.05
 * @LlmBudget({ usd: '5', period: 'day' })                    // this route spends at most $5 a day
 * @LlmBudget({ usd: '0.50', period: 'day', per: 'user' })    // $0.50 a day for each user
 */
export function LlmBudget(options: LlmBudgetOptions): ClassDecorator & MethodDecorator {
  // Checked when the class is defined, so a typo fails at start-up rather than on a request.
  parseUsd(options.usd);
  if (options.maxCostUsd !== undefined) parseUsd(options.maxCostUsd);
  return SetMetadata(LLM_BUDGET_METADATA, { ...options });
}

import type { BudgetConfig } from '../config/config-types.js';
import { formatUsd, type Picodollars } from '../pricing/money.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget } from '../routing/target.js';
import type { BudgetDenial, BudgetGuard } from './budget-guard.js';
import type { Reservation } from './budget-store.js';
import type { FeeSchedule } from './fee-schedule.js';
import type { RateLimitGuard, RatePermit } from './rate-limit-guard.js';
import type { SpendContext } from './spend-scope.js';
import { worstCase } from './worst-case.js';

/** What one admitted attempt holds until it settles. */
export interface Admission {
  readonly reservation: Reservation | undefined;
  readonly permit: RatePermit | undefined;
  /** The worst case reserved, when computed. */
  readonly worstCaseUsd: string | undefined;
}

/** Why an attempt was not admitted. */
export interface Refusal {
  ok: false;
  /** `over_ceiling`, `cost_unknown`, `budget` or `rate_limit`. */
  reason: 'over_ceiling' | 'cost_unknown' | 'budget' | 'rate_limit';
  /** A sentence for the error message. */
  detail: string;
  retryAfterMs?: number;
  budget?: BudgetDenial;
}

/** The admission or the refusal of one attempt. */
export type AdmissionResult = { ok: true; admission: Admission } | Refusal;

/** Spending limits of one call, on top of the configuration's. */
export interface CallSpending {
  /** A ceiling for this call (the lower of it and `maxCostPerRequest` applies). */
  maxCost?: Picodollars;
  /** Budgets for this call (e.g. an adapter's per-route budget). */
  budgets?: readonly BudgetConfig[];
}

const FREE: AdmissionResult = Object.freeze({
  ok: true as const,
  admission: Object.freeze({ reservation: undefined, permit: undefined, worstCaseUsd: undefined }),
});

/**
 * Decides whether an attempt may start: the cost ceiling (worst case vs `maxCostPerRequest`), the
 * budgets (reserve the worst case) and the rate limits (take one request and its tokens); settles
 * all of them after the attempt. With none configured it costs nothing.
 */
export interface SpendPolicy {
  admit(options: {
    target: ModelTarget;
    profile: RequestProfile;
    context: SpendContext;
    call: CallSpending;
  }): AdmissionResult | Promise<AdmissionResult>;
  settle(options: { admission: Admission; cost: Picodollars; tokens: number }): Promise<void> | undefined;
}

/** Creates the {@link SpendPolicy}. */
export function createSpendPolicy(options: {
  ceiling: Picodollars | undefined;
  budgets: BudgetGuard;
  limits: RateLimitGuard;
  fees: FeeSchedule;
}): SpendPolicy {
  const { budgets, limits, fees } = options;
  const admitSlow = async (input: Parameters<SpendPolicy['admit']>[0]): Promise<AdmissionResult> => {
    const { target, profile, context, call } = input;
    const ceiling =
      call.maxCost !== undefined && (options.ceiling === undefined || call.maxCost < options.ceiling)
        ? call.maxCost
        : options.ceiling;
    const worst = worstCase({ target, profile, fees });
    const worstUsd = worst.cost === undefined ? undefined : formatUsd(worst.cost);
    if (ceiling !== undefined) {
      if (worst.cost === undefined) {
        return {
          ok: false,
          reason: 'cost_unknown',
          detail: `${target.name} has no price or completion bound to check against the ceiling`,
        };
      }
      if (worst.cost > ceiling) {
        return {
          ok: false,
          reason: 'over_ceiling',
          detail: `${target.name} could cost up to $${worstUsd} (${worst.promptTokens} prompt + ${worst.completionTokens} completion tokens), over the ceiling of $${formatUsd(ceiling)}; lower max_tokens`,
        };
      }
    }
    // Budgets and limits at once: with a shared store both travel in one round trip.
    const needsBudget = !budgets.empty || (call.budgets?.length ?? 0) > 0;
    const [reserved, acquired] = await Promise.allSettled([
      needsBudget
        ? budgets.reserve({
            context,
            amount: worst.cost ?? 0n,
            ...(call.budgets === undefined ? {} : { extra: call.budgets }),
          })
        : undefined,
      limits.empty
        ? undefined
        : limits.acquire({ context, tokens: worst.promptTokens + (worst.completionTokens ?? 0) }),
    ]);
    const reservation =
      reserved.status === 'fulfilled' && reserved.value?.ok === true ? reserved.value.reservation : undefined;
    const permit =
      acquired.status === 'fulfilled' && acquired.value?.ok === true ? acquired.value.permit : undefined;
    const undo = async (): Promise<void> => {
      await Promise.all([permit?.release(), budgets.settle(reservation, 0n)]);
    };
    if (reserved.status === 'rejected' || acquired.status === 'rejected') {
      await undo();
      throw reserved.status === 'rejected' ? reserved.reason : (acquired as PromiseRejectedResult).reason;
    }
    if (reserved.value?.ok === false) {
      await undo();
      const denial = reserved.value.denial;
      return {
        ok: false,
        reason: 'budget',
        detail: `budget "${denial.budget}" of $${denial.limitUsd} per period has $${denial.spentUsd} spent and $${denial.reservedUsd} reserved; ${target.name} needs up to $${denial.neededUsd}; it resets at ${denial.resetsAt}`,
        retryAfterMs: denial.retryAfterMs,
        budget: denial,
      };
    }
    if (acquired.value?.ok === false) {
      await undo();
      return {
        ok: false,
        reason: 'rate_limit',
        detail: `${target.name} is over the rate limit ${acquired.value.denial.limit}; retry in ${Math.ceil(acquired.value.denial.retryAfterMs / 1000)} s`,
        retryAfterMs: acquired.value.denial.retryAfterMs,
      };
    }
    return { ok: true, admission: { reservation, permit, worstCaseUsd: worstUsd } };
  };

  return {
    admit(input) {
      if (
        options.ceiling === undefined &&
        input.call.maxCost === undefined &&
        budgets.empty &&
        limits.empty &&
        (input.call.budgets?.length ?? 0) === 0
      ) {
        return FREE;
      }
      return admitSlow(input);
    },
    settle({ admission, cost, tokens }) {
      admission.permit?.settle(tokens);
      return admission.reservation === undefined ? undefined : budgets.settle(admission.reservation, cost);
    },
  };
}

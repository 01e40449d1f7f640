import type { BudgetConfig } from '../config/config-types.js';
import { formatUsd, type Picodollars } from '../pricing/money.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget } from '../routing/target.js';
import type { BudgetDenial, BudgetGuard } from './budget-guard.js';
import type { Reservation } from './budget-store.js';
import type { FeeSchedule } from './fee-schedule.js';
import type { RateLimitGuard, RatePermit } from './rate-limit-guard.js';
import type { SpendContext } from './spend-scope.js';
import type { UnpricedPolicies } from './unpriced-policy.js';
import { worstCase } from './worst-case.js';

/** What one admitted attempt holds until it settles. */
export interface Admission {
  readonly reservation: Reservation | undefined;
  readonly permit: RatePermit | undefined;
  /** The worst case reserved, when computed. */
  readonly worstCaseUsd: string | undefined;
  /** The most the attempt may be settled at: an unpriced target's declared worst case. */
  readonly costCap?: Picodollars;
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
  /**
   * Settles an attempt: its budget reservation at `cost`, its rate-limit counters at `tokens`; with
   * `limitedForMs` (the upstream rate-limited it), its provider and model counters stay exhausted
   * that long.
   */
  settle(options: {
    admission: Admission;
    cost: Picodollars;
    tokens: number;
    limitedForMs?: number;
  }): Promise<void> | undefined;
}

/** Why an unpriced target is refused, and the three ways to let it through. */
function unpricedDetail(input: { target: ModelTarget; ceiling: boolean }): string {
  const { target } = input;
  const rule = input.ceiling ? 'the cost ceiling' : 'a budget';
  const what =
    target.pricing === undefined
      ? `${target.name} (${target.provider}/${target.model}) has no price`
      : `${target.name} (${target.provider}/${target.model}) has no completion bound (set max_tokens)`;
  return `${what}, so ${rule} cannot be enforced on it: price it (models.<alias>.pricing, or a catalog entry), declare its worst case (unpriced: { worstCaseUsd: "0.05" }) or exempt it (unpriced: allow)`;
}

/** Creates the {@link SpendPolicy}. */
export function createSpendPolicy(options: {
  ceiling: Picodollars | undefined;
  budgets: BudgetGuard;
  limits: RateLimitGuard;
  fees: FeeSchedule;
  /** What to do with targets whose worst case cannot be priced. */
  unpriced: UnpricedPolicies;
}): SpendPolicy {
  const { budgets, limits, fees } = options;
  const admitSlow = async (input: Parameters<SpendPolicy['admit']>[0]): Promise<AdmissionResult> => {
    const { target, profile, context, call } = input;
    const ceiling =
      call.maxCost !== undefined && (options.ceiling === undefined || call.maxCost < options.ceiling)
        ? call.maxCost
        : options.ceiling;
    const worst = worstCase({ target, profile, fees });
    let worstCost = worst.cost;
    let costCap: Picodollars | undefined;
    let exempt = false;
    if (worstCost === undefined) {
      const budgeted = budgets.applies({
        context,
        ...(call.budgets === undefined ? {} : { extra: call.budgets }),
      });
      if (ceiling !== undefined || budgeted) {
        const policy = options.unpriced.of(target, context.route);
        if (policy.kind === 'deny') {
          return {
            ok: false,
            reason: 'cost_unknown',
            detail: unpricedDetail({ target, ceiling: ceiling !== undefined }),
          };
        }
        if (policy.kind === 'declared') worstCost = costCap = policy.worstCase;
        else exempt = true;
      }
    }
    const worstUsd = worstCost === undefined ? undefined : formatUsd(worstCost);
    if (ceiling !== undefined && worstCost !== undefined && !exempt) {
      if (worstCost > ceiling) {
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
            amount: worstCost ?? 0n,
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
    return {
      ok: true,
      admission: {
        reservation,
        permit,
        worstCaseUsd: worstUsd,
        ...(costCap === undefined ? {} : { costCap }),
      },
    };
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
    settle({ admission, cost, tokens, limitedForMs }) {
      admission.permit?.settle(tokens);
      if (limitedForMs !== undefined) admission.permit?.exhaust(limitedForMs);
      return admission.reservation === undefined ? undefined : budgets.settle(admission.reservation, cost);
    },
  };
}

import type { BudgetConfig } from '../config/config-types.js';
import { formatUsd, type Picodollars, parseUsd } from '../pricing/money.js';
import { periodWindow } from './budget-period.js';
import type { BudgetBucket, BudgetStore, Reservation } from './budget-store.js';
import { compileMatch, type SpendContext, scopeValues } from './spend-scope.js';

/** Why a reservation was refused: the budget, its spend and when it resets. */
export interface BudgetDenial {
  /** The budget's name (`scope:match` unless named). */
  budget: string;
  limitUsd: string;
  spentUsd: string;
  /** Held by requests in flight. */
  reservedUsd: string;
  /** What this attempt would have needed (its worst case). */
  neededUsd: string;
  /** ISO time when the budget's period ends. */
  resetsAt: string;
  /** Milliseconds until then. */
  retryAfterMs: number;
}

/** What a configured budget has left in its current period. */
export interface BudgetStatus {
  /** The budget's name (`scope:match` unless named). */
  budget: string;
  limitUsd: string;
  /** The limit less what was spent and what requests in flight hold (below 0 when overspent). */
  remainingUsd: string;
}

interface CompiledBudget {
  id: string;
  config: BudgetConfig;
  name: string;
  limit: Picodollars;
  matches: (value: string) => boolean;
}

/** Reserves the worst case of an attempt against every budget that applies to it. */
export interface BudgetGuard {
  /** True when no budget is configured (then reservations are skipped entirely). */
  readonly empty: boolean;
  reserve(options: {
    context: SpendContext;
    amount: Picodollars;
    /** Budgets given with the call. */
    extra?: readonly BudgetConfig[];
  }): Promise<{ ok: true; reservation: Reservation | undefined } | { ok: false; denial: BudgetDenial }>;
  /** Replaces a reservation with the actual cost (0 releases it). */
  settle(reservation: Reservation | undefined, actual: Picodollars): Promise<void>;
  /**
   * What each configured budget of one bucket (`global`, or a `match` without `*`) has left in its
   * current period; a budget counted per value (every key, every user) has no one figure.
   */
  remaining(): Promise<BudgetStatus[]>;
  /** Whether any budget (configured or given with the call) counts this attempt. */
  applies(options: { context: SpendContext; extra?: readonly BudgetConfig[] }): boolean;
}

function compile(config: BudgetConfig, id: string): CompiledBudget {
  return {
    id,
    config,
    name: config.name ?? `${config.scope}${config.match === undefined ? '' : `:${config.match}`}`,
    limit: parseUsd(config.usd),
    matches: compileMatch(config.match),
  };
}

/** Creates a {@link BudgetGuard} over a store. */
export function createBudgetGuard(options: {
  budgets: readonly BudgetConfig[];
  store: BudgetStore;
  now: () => number;
}): BudgetGuard {
  const { store, now } = options;
  const configured = options.budgets.map((config, index) => compile(config, `b${index}`));
  const extraCache = new WeakMap<BudgetConfig, CompiledBudget>();
  const compiledExtra = (config: BudgetConfig): CompiledBudget => {
    let found = extraCache.get(config);
    if (found === undefined) {
      found = compile(
        config,
        `call:${config.name ?? `${config.scope}:${config.match ?? ''}:${config.usd}:${config.period}`}`,
      );
      extraCache.set(config, found);
    }
    return found;
  };

  const budgetsOf = (extra: readonly BudgetConfig[] | undefined): readonly CompiledBudget[] =>
    extra === undefined || extra.length === 0 ? configured : [...configured, ...extra.map(compiledExtra)];

  return {
    empty: configured.length === 0,
    applies({ context, extra }) {
      return budgetsOf(extra).some((budget) =>
        scopeValues(budget.config.scope, context).some((value) => budget.matches(value)),
      );
    },
    async reserve({ context, amount, extra }) {
      const budgets = budgetsOf(extra);
      if (budgets.length === 0) return { ok: true, reservation: undefined };
      const current = now();
      const buckets: BudgetBucket[] = [];
      const owners = new Map<string, CompiledBudget>();
      for (const budget of budgets) {
        const window = periodWindow(budget.config.period, current);
        for (const value of scopeValues(budget.config.scope, context)) {
          if (!budget.matches(value)) continue;
          const bucket = {
            id: `${budget.id}|${value}|${window.start}`,
            limit: budget.limit,
            expiresAt: window.end,
          };
          buckets.push(bucket);
          owners.set(bucket.id, budget);
        }
      }
      if (buckets.length === 0) return { ok: true, reservation: undefined };
      const outcome = await store.reserve({ buckets, amount });
      if (outcome.ok) return outcome;
      const owner = owners.get(outcome.bucket.id) as CompiledBudget;
      return {
        ok: false,
        denial: {
          budget: owner.name,
          limitUsd: formatUsd(owner.limit),
          spentUsd: formatUsd(outcome.spent),
          reservedUsd: formatUsd(outcome.reserved),
          neededUsd: formatUsd(amount),
          resetsAt: new Date(outcome.bucket.expiresAt).toISOString(),
          retryAfterMs: Math.max(0, outcome.bucket.expiresAt - current),
        },
      };
    },
    async remaining() {
      const current = now();
      const single = configured.filter(
        (budget) =>
          budget.config.scope === 'global' ||
          (budget.config.match !== undefined && !budget.config.match.includes('*')),
      );
      return Promise.all(
        single.map(async (budget) => {
          const value = budget.config.scope === 'global' ? '*' : (budget.config.match as string);
          const window = periodWindow(budget.config.period, current);
          const { spent, reserved } = await store.usage(`${budget.id}|${value}|${window.start}`);
          return {
            budget: budget.name,
            limitUsd: formatUsd(budget.limit),
            remainingUsd: formatUsd(budget.limit - spent - reserved),
          };
        }),
      );
    },
    async settle(reservation, actual) {
      if (reservation !== undefined) await store.settle(reservation, actual);
    },
  };
}

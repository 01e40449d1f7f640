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

/** What one budget has left in its current period, for one value of its scope. */
export interface BudgetUsage {
  /** The budget's name (`scope:match` unless named). */
  budget: string;
  scope: BudgetConfig['scope'];
  /** The scope's value this counter is for (`*` for a global budget). */
  value: string;
  period: BudgetConfig['period'];
  limitUsd: string;
  /** Settled in the current period. */
  spentUsd: string;
  /** Held by requests in flight. */
  reservedUsd: string;
  /** `limitUsd - spentUsd - reservedUsd`, never below 0. */
  remainingUsd: string;
  /** ISO time when the current period ends. */
  resetsAt: string;
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
   * What every budget (configured, and `extra`) has left in its current period. A budget with a
   * plain `match` has one counter, a global one `*`; one that counts each value of its scope (or a
   * `*` pattern) reports the `values` given for that scope that it matches (the values seen in the
   * ledger, the configured keys).
   */
  usage(options?: {
    values?: Partial<Record<BudgetConfig['scope'], readonly string[]>>;
    extra?: readonly BudgetConfig[];
  }): Promise<BudgetUsage[]>;
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
    async settle(reservation, actual) {
      if (reservation !== undefined) await store.settle(reservation, actual);
    },
    async usage({ values = {}, extra } = {}) {
      const current = now();
      const counters: Array<{ budget: CompiledBudget; value: string }> = [];
      for (const budget of budgetsOf(extra)) {
        const { scope, match } = budget.config;
        const candidates =
          scope === 'global'
            ? ['*']
            : match !== undefined && !match.includes('*')
              ? [match]
              : (values[scope] ?? []);
        for (const value of new Set(candidates)) if (budget.matches(value)) counters.push({ budget, value });
      }
      return Promise.all(
        counters.map(async ({ budget, value }) => {
          const window = periodWindow(budget.config.period, current);
          const { spent, reserved } = await store.usage(`${budget.id}|${value}|${window.start}`);
          const left = budget.limit - spent - reserved;
          return {
            budget: budget.name,
            scope: budget.config.scope,
            value,
            period: budget.config.period,
            limitUsd: formatUsd(budget.limit),
            spentUsd: formatUsd(spent),
            reservedUsd: formatUsd(reserved),
            remainingUsd: formatUsd(left > 0n ? left : 0n),
            resetsAt: new Date(window.end).toISOString(),
          };
        }),
      );
    },
  };
}

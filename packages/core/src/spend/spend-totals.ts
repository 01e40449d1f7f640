import { formatUsd, type Picodollars, parseUsd } from '../pricing/money.js';
import type { LedgerEntry, SpendSummary } from './spend-ledger.js';

/** A running, exact sum of ledger entries: what {@link summarizeSpend} gives, one entry at a time. */
export interface SpendTotals {
  add(entry: LedgerEntry): void;
  /** The totals so far, money as exact USD decimal strings. */
  summary(): SpendSummary;
}

/** Creates an empty {@link SpendTotals} (integer picodollars inside, never floats). */
export function createSpendTotals(): SpendTotals {
  let attempts = 0;
  let cacheHits = 0;
  let saved: Picodollars = 0n;
  let promptTokens = 0;
  let completionTokens = 0;
  let token: Picodollars = 0n;
  let fee: Picodollars = 0n;
  return {
    add(entry) {
      // A cache hit is a request served without an attempt: counted apart, with what it saved.
      if (entry.outcome === 'cache_hit') cacheHits += 1;
      else attempts += 1;
      if (entry.savedUsd !== undefined) saved += parseUsd(entry.savedUsd);
      promptTokens += entry.promptTokens;
      completionTokens += entry.completionTokens;
      token += parseUsd(entry.tokenCostUsd);
      fee += parseUsd(entry.feeUsd);
    },
    summary: () => ({
      attempts,
      cacheHits,
      savedUsd: formatUsd(saved),
      promptTokens,
      completionTokens,
      tokenCostUsd: formatUsd(token),
      feeUsd: formatUsd(fee),
      costUsd: formatUsd(token + fee),
    }),
  };
}

/** Running totals by a name (a key, a route), each created on first use. */
export function createGroupedTotals(): {
  add(name: string, entry: LedgerEntry): void;
  summaries(): Record<string, SpendSummary>;
} {
  const groups = new Map<string, SpendTotals>();
  return {
    add(name, entry) {
      let totals = groups.get(name);
      if (totals === undefined) {
        totals = createSpendTotals();
        groups.set(name, totals);
      }
      totals.add(entry);
    },
    summaries() {
      const result: Record<string, SpendSummary> = {};
      for (const [name, totals] of groups) result[name] = totals.summary();
      return result;
    },
  };
}

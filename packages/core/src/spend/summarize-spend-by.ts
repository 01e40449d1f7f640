import type { LedgerEntry, SpendSummary } from './spend-ledger.js';
import { createSpendTotals, type SpendTotals } from './spend-totals.js';

/** What {@link summarizeSpendBy} groups entries by. */
export type SpendGrouping = 'key' | 'user' | 'route' | 'target' | 'provider' | 'model';

/** The totals of one group: its value (undefined: entries without one, e.g. no key) and its summary. */
export interface SpendGroupSummary {
  group: string | undefined;
  summary: SpendSummary;
}

/**
 * Exact totals per key, user, route, target, provider or model (the model id sent): spend, cache
 * hits and what they saved. Groups are in order of their value, entries without one last.
 * @example summarizeSpendBy(await router.ledger.query(), 'route')
 */
export function summarizeSpendBy(entries: readonly LedgerEntry[], by: SpendGrouping): SpendGroupSummary[] {
  // One running total per group (the ledger's own exact sums), not a copy of each group's entries.
  const groups = new Map<string | undefined, SpendTotals>();
  for (const entry of entries) {
    const value = entry[by];
    let totals = groups.get(value);
    if (totals === undefined) {
      totals = createSpendTotals();
      groups.set(value, totals);
    }
    totals.add(entry);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([group, totals]) => ({ group, summary: totals.summary() }));
}

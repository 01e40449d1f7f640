import type { LedgerEntry, SpendSummary } from './spend-ledger.js';
import { summarizeSpend } from './spend-ledger.js';

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
  const groups = new Map<string | undefined, LedgerEntry[]>();
  for (const entry of entries) {
    const value = entry[by];
    const group = groups.get(value);
    if (group === undefined) groups.set(value, [entry]);
    else group.push(entry);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([group, members]) => ({ group, summary: summarizeSpend(members) }));
}

import type { Random } from '../../clock.js';

/**
 * Orders entries by weighted random sampling without replacement (Efraimidis–Spirakis): the first
 * is picked in proportion to its weight, the rest follow as the fallback order.
 */
export function weightedOrder<T>(entries: ReadonlyArray<{ target: T; weight: number }>, random: Random): T[] {
  if (entries.length === 1) return entries[0] === undefined ? [] : [entries[0].target];
  return entries
    .map((entry) => ({ target: entry.target, key: random() ** (1 / entry.weight) }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.target);
}

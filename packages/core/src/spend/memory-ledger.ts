import { type LedgerEntry, type LedgerStats, matchesFilter, type SpendLedger } from './spend-ledger.js';
import { createGroupedTotals, createSpendTotals } from './spend-totals.js';

/** Bounds of a {@link createMemoryLedger}: the oldest entries beyond them are evicted, and counted. */
export interface MemoryLedgerOptions {
  /**
   * Entries held at most; the oldest are evicted beyond it.
   * @default 100000
   */
  maxEntries?: number;
  /** Entries older than this many seconds are evicted; no age limit when unset. */
  retentionSeconds?: number;
  /** Epoch ms now, for the retention window. @default Date.now */
  now?: () => number;
}

/** The memory ledger: a {@link SpendLedger} with its stats and a drain. */
export interface MemoryLedger extends SpendLedger {
  stats(): LedgerStats;
  drainEntries(options?: { max?: number }): LedgerEntry[];
}

/** How many entries the memory ledger holds unless told otherwise. */
export const DEFAULT_LEDGER_MAX_ENTRIES = 100_000;

// Evicted slots are compacted away once they are this many and half the array, so that eviction
// costs O(1) amortised instead of an O(n) `shift()` per entry.
const COMPACT_AFTER = 1024;

/**
 * A {@link SpendLedger} in process memory, bounded: at most `maxEntries` entries and, with
 * `retentionSeconds`, none older than that; the oldest go first. Nothing leaves silently: every
 * evicted entry is added to exact running totals (overall, by key, by route) that `stats()` reports,
 * so spend summaries stay whole, and `drainEntries()` hands entries to an exporter (counted apart).
 */
export function createMemoryLedger(options: MemoryLedgerOptions = {}): MemoryLedger {
  const maxEntries = options.maxEntries ?? DEFAULT_LEDGER_MAX_ENTRIES;
  const retentionMs = options.retentionSeconds === undefined ? undefined : options.retentionSeconds * 1000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`ledger maxEntries must be a positive integer, got ${String(maxEntries)}`);
  }
  if (retentionMs !== undefined && !(retentionMs > 0)) {
    throw new RangeError(`ledger retentionSeconds must be positive, got ${String(options.retentionSeconds)}`);
  }
  let entries: LedgerEntry[] = [];
  let head = 0;
  const evicted = createSpendTotals();
  const evictedByKey = createGroupedTotals();
  const evictedByRoute = createGroupedTotals();
  const drained = createSpendTotals();
  let newestEvicted: string | undefined;

  const compact = (): void => {
    if (head >= COMPACT_AFTER && head * 2 >= entries.length) {
      entries = entries.slice(head);
      head = 0;
    }
  };
  const evictOldest = (): void => {
    const entry = entries[head] as LedgerEntry;
    entries[head] = undefined as unknown as LedgerEntry; // let it be collected before compaction
    head += 1;
    evicted.add(entry);
    evictedByKey.add(entry.key ?? '', entry);
    evictedByRoute.add(entry.route ?? '', entry);
    newestEvicted = entry.time;
  };
  const expire = (): void => {
    if (retentionMs !== undefined) {
      const cutoff = now() - retentionMs;
      while (head < entries.length && Date.parse((entries[head] as LedgerEntry).time) < cutoff) evictOldest();
    }
    while (entries.length - head > maxEntries) evictOldest();
    compact();
  };

  return {
    append(entry) {
      entries.push(entry);
      expire();
    },
    async query(filter = {}) {
      expire();
      const result: LedgerEntry[] = [];
      for (let index = head; index < entries.length; index += 1) {
        const entry = entries[index] as LedgerEntry;
        if (matchesFilter(entry, filter)) result.push(entry);
      }
      return result;
    },
    stats() {
      expire();
      return {
        held: entries.length - head,
        maxEntries,
        retentionSeconds: options.retentionSeconds,
        evicted: {
          ...evicted.summary(),
          newestTime: newestEvicted,
          byKey: evictedByKey.summaries(),
          byRoute: evictedByRoute.summaries(),
        },
        drained: drained.summary(),
      };
    },
    drainEntries(drainOptions = {}) {
      expire();
      const count = Math.min(drainOptions.max ?? Number.POSITIVE_INFINITY, entries.length - head);
      const taken = entries.slice(head, head + count);
      for (const entry of taken) drained.add(entry);
      entries = entries.slice(head + count);
      head = 0;
      return taken;
    },
  };
}

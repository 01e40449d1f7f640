import type { ProviderPolicy } from '../policy/provider-policy.js';
import type { Operation } from '../routing/operation.js';
import type { Door } from '../trace/door.js';
import type { AttemptOutcome } from '../trace/routing-trace.js';
import type { CostBasis } from './attempt-cost.js';
import { createSpendTotals } from './spend-totals.js';

/** How a ledger entry ended: an attempt's outcome, or `cache_hit` (served from the answer cache, no attempt ran). */
export type LedgerOutcome = AttemptOutcome | 'cache_hit';

/** One settled attempt (or one cache hit), as the ledger keeps it. Money as exact USD decimal strings. */
export interface LedgerEntry {
  /** ISO time the attempt settled. */
  time: string;
  requestId: string;
  /**
   * The attempt's number within its request, from 1 (0 for a cache hit, which ran none):
   * `requestId` and `attempt` name an entry.
   */
  attempt: number;
  key: string | undefined;
  user: string | undefined;
  tags: readonly string[];
  route: string | undefined;
  target: string;
  provider: string;
  /** The model id sent upstream. */
  model: string;
  /** The model the upstream says served. */
  servedModel: string | undefined;
  outcome: LedgerOutcome;
  promptTokens: number;
  completionTokens: number;
  /** Token cost from catalog prices (or the reported cost when unpriced). */
  tokenCostUsd: string;
  /** Platform fee. */
  feeUsd: string;
  /** tokenCostUsd + feeUsd. */
  costUsd: string;
  /** What the upstream reported (`usage.cost`), when it did. */
  reportedCostUsd: string | undefined;
  /** Reported and computed costs differ beyond the tolerance. */
  costMismatch: boolean;
  /** No usage was reported: the cost is an estimate (aborted, timed out, hedge loser). */
  estimated: boolean;
  /**
   * What the cost rests on (`sent_model`, `served_model`, `served_unknown`, `reported`, `estimate`,
   * `none`); absent in entries written before it existed.
   */
  costBasis?: CostBasis;
  /** When priced as the model that served instead: the sent model's token cost, for comparison. */
  sentModelCostUsd?: string | undefined;
  /** A cache hit (cost 0): what the cached answer cost when it was made, saved this time. */
  savedUsd?: string;
  /**
   * Milliseconds from sending the attempt to its outcome (for streams: to the last chunk); absent
   * for a cache hit and in entries written before it existed.
   */
  latencyMs?: number;
  /** What the call asked for: `chat` or `embeddings`; absent in entries written before it existed. */
  operation?: Operation;
  /** The gateway door the request came in by (`chat`, `responses`, `messages`, `embeddings`); absent for calls made in code. */
  door?: Door;
  /** OpenRouter's display name of the provider that served the attempt, when the answer named one. */
  upstreamProvider?: string;
  /** The provider policy the attempt ran under (key, routes, alias and request merged), when any. */
  policy?: ProviderPolicy;
}

/** A selection of ledger entries: any field, and a time range [from, to). */
export interface LedgerFilter {
  key?: string;
  user?: string;
  tag?: string;
  route?: string;
  target?: string;
  provider?: string;
  model?: string;
  outcome?: LedgerOutcome;
  /** `chat` also matches entries written before the operation was recorded (they were all chats). */
  operation?: Operation;
  door?: Door;
  /** ISO time or epoch ms, inclusive. */
  from?: string | number;
  /** ISO time or epoch ms, exclusive. */
  to?: string | number;
}

/**
 * Port: where settled attempts go. The default keeps them in memory, bounded (the oldest evicted
 * and counted, see {@link LedgerStats}); a fleet appends to a shared store.
 */
export interface SpendLedger {
  append(entry: LedgerEntry): void | Promise<void>;
  /** Entries matching the filter, oldest first (those held: not evicted, not drained). */
  query(filter?: LedgerFilter): Promise<LedgerEntry[]>;
  /** What the ledger holds and what left it, when it is bounded. */
  stats?(): LedgerStats | Promise<LedgerStats>;
  /**
   * Removes and returns the oldest entries held (all, or at most `max`), for an exporter; their
   * totals are counted in `stats().drained`. Ledgers that are not drained (a fleet's stream) omit it.
   */
  drainEntries?(options?: { max?: number }): LedgerEntry[] | Promise<LedgerEntry[]>;
}

/** Exact totals of the entries a bounded ledger evicted, overall and by key and route. */
export interface EvictedSpend extends SpendSummary {
  /** The `time` of the newest entry evicted so far: the ledger is whole after it. */
  newestTime: string | undefined;
  /** By gateway key name (`""` for calls without a key). */
  byKey: Record<string, SpendSummary>;
  /** By route (`""` for aliases and raw model ids). */
  byRoute: Record<string, SpendSummary>;
}

/**
 * A bounded ledger's account of itself: entries held, its bounds, and what left it. Held +
 * evicted + drained is every entry ever appended, so no spend is lost from a summary.
 */
export interface LedgerStats {
  /** Entries held now. */
  held: number;
  /** The entry cap, if any. */
  maxEntries: number | undefined;
  /** The retention window in seconds, if any. */
  retentionSeconds: number | undefined;
  /** Entries evicted (over the cap or the window), with their exact totals. */
  evicted: EvictedSpend;
  /** Entries drained by an exporter, with their exact totals. */
  drained: SpendSummary;
}

const toMs = (value: string | number): number => (typeof value === 'number' ? value : Date.parse(value));

/** True when an entry matches a filter. */
export function matchesFilter(entry: LedgerEntry, filter: LedgerFilter): boolean {
  if (filter.key !== undefined && entry.key !== filter.key) return false;
  if (filter.user !== undefined && entry.user !== filter.user) return false;
  if (filter.tag !== undefined && !entry.tags.includes(filter.tag)) return false;
  if (filter.route !== undefined && entry.route !== filter.route) return false;
  if (filter.target !== undefined && entry.target !== filter.target) return false;
  if (filter.provider !== undefined && entry.provider !== filter.provider) return false;
  if (filter.model !== undefined && entry.model !== filter.model && entry.servedModel !== filter.model)
    return false;
  if (filter.outcome !== undefined && entry.outcome !== filter.outcome) return false;
  if (filter.operation !== undefined && (entry.operation ?? 'chat') !== filter.operation) return false;
  if (filter.door !== undefined && entry.door !== filter.door) return false;
  const time = Date.parse(entry.time);
  if (filter.from !== undefined && time < toMs(filter.from)) return false;
  if (filter.to !== undefined && time >= toMs(filter.to)) return false;
  return true;
}

/** Exact totals of a set of entries. */
export interface SpendSummary {
  /** Entries of attempts (cache hits are counted apart). */
  attempts: number;
  /** Requests served from the answer cache. */
  cacheHits: number;
  /** What the cache hits saved: the cost of the answers they replayed. */
  savedUsd: string;
  promptTokens: number;
  completionTokens: number;
  tokenCostUsd: string;
  feeUsd: string;
  costUsd: string;
}

/** Sums entries exactly (integer picodollars). */
export function summarizeSpend(entries: readonly LedgerEntry[]): SpendSummary {
  const totals = createSpendTotals();
  for (const entry of entries) totals.add(entry);
  return totals.summary();
}

const CSV_COLUMNS: ReadonlyArray<keyof LedgerEntry> = [
  'time',
  'requestId',
  'attempt',
  'key',
  'user',
  'tags',
  'route',
  'target',
  'provider',
  'model',
  'servedModel',
  'outcome',
  'promptTokens',
  'completionTokens',
  'tokenCostUsd',
  'feeUsd',
  'costUsd',
  'reportedCostUsd',
  'costMismatch',
  'estimated',
  'costBasis',
  'sentModelCostUsd',
  'savedUsd',
  'operation',
  'door',
  'latencyMs',
  'upstreamProvider',
  'policy',
];

/** A cell: lists joined with `;`, the policy (an object) as JSON, quoted when it must be. */
function csvField(value: unknown): string {
  const text =
    value === undefined
      ? ''
      : Array.isArray(value)
        ? value.join(';')
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Entries as CSV (RFC 4180), with a header row. */
export function ledgerToCsv(entries: readonly LedgerEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) lines.push(CSV_COLUMNS.map((column) => csvField(entry[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Entries as a JSON document with their exact totals. */
export function ledgerToJson(entries: readonly LedgerEntry[]): string {
  return JSON.stringify({ summary: summarizeSpend(entries), entries }, null, 2);
}

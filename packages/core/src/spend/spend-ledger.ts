import { formatUsd, parseUsd } from '../pricing/money.js';
import type { Door } from '../trace/door.js';
import type { AttemptOutcome } from '../trace/routing-trace.js';
import type { CostBasis } from './attempt-cost.js';

/** One settled attempt, as the ledger keeps it. Money as exact USD decimal strings. */
export interface LedgerEntry {
  /** ISO time the attempt settled. */
  time: string;
  requestId: string;
  /** The attempt's number within its request, from 1: `requestId` and `attempt` name an entry. */
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
  outcome: AttemptOutcome;
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
  /** The gateway door the request came in by (`chat`, `responses`, `messages`, `embeddings`); absent for calls made in code. */
  door?: Door;
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
  outcome?: AttemptOutcome;
  door?: Door;
  /** ISO time or epoch ms, inclusive. */
  from?: string | number;
  /** ISO time or epoch ms, exclusive. */
  to?: string | number;
}

/**
 * Port: where settled attempts go. The default keeps every entry in memory (nothing is dropped);
 * a fleet appends to a shared store.
 */
export interface SpendLedger {
  append(entry: LedgerEntry): void | Promise<void>;
  /** Entries matching the filter, oldest first. */
  query(filter?: LedgerFilter): Promise<LedgerEntry[]>;
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
  if (filter.door !== undefined && entry.door !== filter.door) return false;
  const time = Date.parse(entry.time);
  if (filter.from !== undefined && time < toMs(filter.from)) return false;
  if (filter.to !== undefined && time >= toMs(filter.to)) return false;
  return true;
}

/** A {@link SpendLedger} in process memory. */
export function createMemoryLedger(): SpendLedger {
  const entries: LedgerEntry[] = [];
  return {
    append(entry) {
      entries.push(entry);
    },
    async query(filter = {}) {
      return entries.filter((entry) => matchesFilter(entry, filter));
    },
  };
}

/** Exact totals of a set of entries. */
export interface SpendSummary {
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  tokenCostUsd: string;
  feeUsd: string;
  costUsd: string;
}

/** Sums entries exactly (integer picodollars). */
export function summarizeSpend(entries: readonly LedgerEntry[]): SpendSummary {
  let token = 0n;
  let fee = 0n;
  let promptTokens = 0;
  let completionTokens = 0;
  for (const entry of entries) {
    token += parseUsd(entry.tokenCostUsd);
    fee += parseUsd(entry.feeUsd);
    promptTokens += entry.promptTokens;
    completionTokens += entry.completionTokens;
  }
  return {
    attempts: entries.length,
    promptTokens,
    completionTokens,
    tokenCostUsd: formatUsd(token),
    feeUsd: formatUsd(fee),
    costUsd: formatUsd(token + fee),
  };
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
  'door',
];

function csvField(value: unknown): string {
  const text = value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
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

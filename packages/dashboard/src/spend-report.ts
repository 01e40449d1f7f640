import { createSpendTotals, type LedgerEntry, type SpendSummary, type SpendTotals } from '@switchyard/core';
import { type RequestSummary, type StrategyOf, summarizeRequests } from './request-summary.js';

/** What `/admin/spend` groups by. */
export const SPEND_GROUPINGS = ['key', 'route', 'model', 'provider'] as const;

/** One of {@link SPEND_GROUPINGS}. */
export type SpendReportGrouping = (typeof SPEND_GROUPINGS)[number];

/** One group's spend: its totals and, per bucket, its cost (exact USD) and entries. */
export interface SpendSeries {
  /** The key, route, model or provider; null for entries without one (no key, an alias). */
  group: string | null;
  summary: SpendSummary;
  /** Exact USD per bucket, fee included. */
  costUsd: string[];
}

/** Requests and their routing over the period, from the ledger. */
export interface RequestStats {
  total: number;
  /** Served by an attempt. */
  served: number;
  /** Served from the answer cache. */
  cacheHits: number;
  /** No attempt served. */
  failed: number;
  fallbacks: number;
  escalations: number;
  routeSurprises: number;
  /** Requests per bucket (by the time of their first attempt). */
  perBucket: number[];
  /** Requests that no attempt served, by the outcome code of their last attempt. */
  errors: Record<string, number>;
  /** Failed attempts by outcome code, whether or not a later one served. */
  attemptFailures: Record<string, number>;
}

/** Percentiles of the latency of attempts that served, in ms (nearest rank); null without any. */
export interface LatencyPercentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** What `/admin/spend` answers. */
export interface SpendReport {
  /** ISO start of the period (inclusive). */
  from: string;
  /** ISO end of the period (exclusive). */
  to: string;
  groupBy: SpendReportGrouping;
  /** The bucket width in ms. */
  bucketMs: number;
  /** ISO start of each bucket; the first holds `from`. */
  buckets: string[];
  totals: SpendSummary;
  series: SpendSeries[];
  requests: RequestStats;
  latencyMs: LatencyPercentiles;
}

/** The most buckets a report has; a finer bucket over a long period is refused. */
export const MAX_BUCKETS = 1000;

const NICE_BUCKETS_MS = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];

/** The finest of 1m, 5m, 15m, 1h, 6h, 1d that gives the period at most 120 buckets. */
export function defaultBucketMs(spanMs: number): number {
  return NICE_BUCKETS_MS.find((ms) => spanMs / ms <= 120) ?? 86_400_000;
}

function percentiles(values: number[]): LatencyPercentiles {
  values.sort((a, b) => a - b);
  const rank = (p: number): number | null =>
    values.length === 0
      ? null
      : (values[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] ?? null);
  return {
    count: values.length,
    p50: rank(50),
    p90: rank(90),
    p95: rank(95),
    p99: rank(99),
    max: values.length === 0 ? null : (values.at(-1) as number),
  };
}

const count = (counts: Record<string, number>, name: string): void => {
  counts[name] = (counts[name] ?? 0) + 1;
};

function requestStats(
  requests: RequestSummary[],
  bucketOf: (time: number) => number,
  size: number,
): RequestStats {
  const stats: RequestStats = {
    total: requests.length,
    served: 0,
    cacheHits: 0,
    failed: 0,
    fallbacks: 0,
    escalations: 0,
    routeSurprises: 0,
    perBucket: new Array<number>(size).fill(0),
    errors: {},
    attemptFailures: {},
  };
  for (const request of requests) {
    if (request.outcome === 'success') stats.served += 1;
    else if (request.outcome === 'cache_hit') stats.cacheHits += 1;
    else {
      stats.failed += 1;
      count(stats.errors, request.outcome);
    }
    if (request.fallback) stats.fallbacks += 1;
    if (request.escalated) stats.escalations += 1;
    if (request.routeSurprise) stats.routeSurprises += 1;
    const bucket = bucketOf(Date.parse(request.time));
    if (bucket >= 0 && bucket < size) stats.perBucket[bucket] = (stats.perBucket[bucket] ?? 0) + 1;
    for (const attempt of request.attempts) {
      if (attempt.outcome !== 'success' && attempt.outcome !== 'cache_hit')
        count(stats.attemptFailures, attempt.outcome);
    }
  }
  return stats;
}

/**
 * Spend over [from, to) in buckets, per key, route, model or provider: exact totals (the ledger's
 * integer sums, as USD decimal strings), requests with their fallbacks, escalations, route
 * surprises and error codes, and the latency percentiles of the attempts that served.
 * @param entries the ledger entries of the period (`router.ledger.query({ from, to })`)
 */
export function spendReport(
  entries: readonly LedgerEntry[],
  options: {
    from: number;
    to: number;
    bucketMs: number;
    groupBy: SpendReportGrouping;
    strategyOf?: StrategyOf;
  },
): SpendReport {
  const { from, to, bucketMs, groupBy } = options;
  const start = from - (from % bucketMs);
  const size = Math.max(1, Math.ceil((to - start) / bucketMs));
  const bucketOf = (time: number): number => Math.floor((time - start) / bucketMs);
  const totals = createSpendTotals();
  const groups = new Map<string | null, { summary: SpendTotals; buckets: SpendTotals[] }>();
  const latencies: number[] = [];
  for (const entry of entries) {
    totals.add(entry);
    const name = entry[groupBy] ?? null;
    let group = groups.get(name);
    if (group === undefined) {
      group = { summary: createSpendTotals(), buckets: [] };
      groups.set(name, group);
    }
    group.summary.add(entry);
    const bucket = bucketOf(Date.parse(entry.time));
    if (bucket >= 0 && bucket < size) {
      group.buckets[bucket] ??= createSpendTotals();
      group.buckets[bucket].add(entry);
    }
    if (entry.outcome === 'success' && entry.latencyMs !== undefined) latencies.push(entry.latencyMs);
  }
  const series = [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([group, { summary, buckets }]) => ({
      group,
      summary: summary.summary(),
      costUsd: Array.from({ length: size }, (_, index) => buckets[index]?.summary().costUsd ?? '0'),
    }));
  const requests = summarizeRequests(
    entries,
    options.strategyOf === undefined ? {} : { strategyOf: options.strategyOf },
  );
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    groupBy,
    bucketMs,
    buckets: Array.from({ length: size }, (_, index) => new Date(start + index * bucketMs).toISOString()),
    totals: totals.summary(),
    series,
    requests: requestStats(requests, bucketOf, size),
    latencyMs: percentiles(latencies),
  };
}

import type { LedgerEntry } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { summarizeRequests } from '../src/request-summary.js';
import { defaultBucketMs, spendReport } from '../src/spend-report.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

function entry(
  fields: Omit<Partial<LedgerEntry>, 'time'> & { requestId: string; time: number },
): LedgerEntry {
  return {
    attempt: 1,
    key: 'team-a',
    user: undefined,
    tags: [],
    route: 'default',
    target: 'mini',
    provider: 'up',
    model: 'openai/gpt-4o-mini',
    servedModel: 'openai/gpt-4o-mini',
    outcome: 'success',
    promptTokens: 10,
    completionTokens: 5,
    tokenCostUsd: '0.1',
    feeUsd: '0',
    costUsd: '0.1',
    reportedCostUsd: undefined,
    costMismatch: false,
    estimated: false,
    latencyMs: 100,
    ...fields,
    time: new Date(fields.time).toISOString(),
  };
}

describe('spendReport', () => {
  it('sums exactly per group and bucket, entries without a group last', () => {
    const entries = [
      entry({ requestId: 'r1', time: T0 + 1_000, costUsd: '0.1', tokenCostUsd: '0.1' }),
      entry({ requestId: 'r2', time: T0 + 61_000, costUsd: '0.2', tokenCostUsd: '0.2', latencyMs: 300 }),
      entry({
        requestId: 'r3',
        time: T0 + 62_000,
        key: undefined,
        costUsd: '0.000000000001',
        tokenCostUsd: '0.000000000001',
      }),
    ];
    const report = spendReport(entries, {
      from: T0 + 500,
      to: T0 + 180_000,
      bucketMs: 60_000,
      groupBy: 'key',
    });
    // Floats would give 0.30000000000000004: the ledger's integer sums give 0.3.
    expect(report.totals.costUsd).toBe('0.300000000001');
    expect(report.buckets).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:01:00.000Z',
      '2026-03-01T10:02:00.000Z',
    ]);
    expect(report.series).toEqual([
      {
        group: 'team-a',
        summary: expect.objectContaining({ costUsd: '0.3', attempts: 2 }),
        costUsd: ['0.1', '0.2', '0'],
      },
      {
        group: null,
        summary: expect.objectContaining({ costUsd: '0.000000000001' }),
        costUsd: ['0', '0.000000000001', '0'],
      },
    ]);
    expect(report.requests.perBucket).toEqual([1, 2, 0]);
    expect(report.latencyMs).toEqual({ count: 3, p50: 100, p90: 300, p95: 300, p99: 300, max: 300 });
  });

  it('counts fallbacks, escalations, route surprises, cache hits and failures by code', () => {
    const cascade = (route: string | undefined) => (route === 'smart' ? 'cascade' : 'fallback');
    const entries = [
      // r1 fell back: a 502 on mini, then big served another model than the one sent.
      entry({ requestId: 'r1', time: T0, outcome: 'upstream_unavailable', costUsd: '0', tokenCostUsd: '0' }),
      entry({
        requestId: 'r1',
        time: T0 + 10,
        attempt: 2,
        target: 'big',
        model: 'openai/gpt-4o',
        servedModel: 'openai/gpt-4o-2024-11-20',
      }),
      // r2 escalated: the cascade's cheap answer was rejected.
      entry({ requestId: 'r2', time: T0 + 20, route: 'smart', outcome: 'bad_output' }),
      entry({ requestId: 'r2', time: T0 + 30, route: 'smart', attempt: 2, target: 'big' }),
      // r3 was a hedge: its loser aborted, which hands nothing on.
      entry({ requestId: 'r3', time: T0 + 40, outcome: 'aborted', estimated: true }),
      entry({ requestId: 'r3', time: T0 + 41, attempt: 2, target: 'big' }),
      // r4 failed on its only target, twice; r5 came from the cache.
      entry({ requestId: 'r4', time: T0 + 50, outcome: 'rate_limited' }),
      entry({ requestId: 'r4', time: T0 + 60, attempt: 2, outcome: 'timeout' }),
      entry({
        requestId: 'r5',
        time: T0 + 70,
        attempt: 0,
        outcome: 'cache_hit',
        costUsd: '0',
        tokenCostUsd: '0',
        savedUsd: '0.1',
      }),
    ];
    const report = spendReport(entries, {
      from: T0,
      to: T0 + 60_000,
      bucketMs: defaultBucketMs(60_000),
      groupBy: 'route',
      strategyOf: cascade,
    });
    expect(report.requests).toMatchObject({
      total: 5,
      served: 3,
      cacheHits: 1,
      failed: 1,
      fallbacks: 1,
      escalations: 1,
      routeSurprises: 1,
      errors: { timeout: 1 },
      attemptFailures: { upstream_unavailable: 1, bad_output: 1, aborted: 1, rate_limited: 1, timeout: 1 },
    });
    expect(report.totals.cacheHits).toBe(1);
    expect(report.totals.savedUsd).toBe('0.1');

    const [latest, ...rest] = summarizeRequests(entries, { strategyOf: cascade });
    expect(latest).toMatchObject({ requestId: 'r5', outcome: 'cache_hit', savedUsd: '0.1', costUsd: '0' });
    expect(rest.map((request) => request.requestId)).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(rest.at(-1)).toMatchObject({
      outcome: 'success',
      fallback: true,
      routeSurprise: true,
      served: { target: 'big', servedModel: 'openai/gpt-4o-2024-11-20' },
      costUsd: '0.1',
    });
  });

  it('picks buckets that give a period at most 120 of them', () => {
    expect(defaultBucketMs(3_600_000)).toBe(60_000);
    expect(defaultBucketMs(86_400_000)).toBe(900_000);
    expect(defaultBucketMs(7 * 86_400_000)).toBe(21_600_000);
    expect(defaultBucketMs(365 * 86_400_000)).toBe(86_400_000);
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter, formatUsd, parseUsd, type RoutingTrace } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusMetrics, metricsHandler } from '../src/index.js';

const PROVIDER_KEY = 'sk-or-v1-prometheus-secret-000111';
const ADMIN_KEY = 'sy-admin-metrics-key-0123456789';
const PRIMARY = 'anthropic/claude-sonnet-4.6';
const BACKUP = 'meta-llama/llama-3.3-70b-instruct';
const ALIASED = 'openai/gpt-4o';
const SERVED = 'openai/gpt-4o-2024-11-20';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

async function setUp(maxLabelValues?: number) {
  const mock: MockUpstream = await startMockUpstream({ aliases: { [ALIASED]: SERVED } });
  const router = createRouter({
    config: {
      providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
      models: {
        primary: { provider: 'mock', model: PRIMARY },
        backup: { provider: 'mock', model: BACKUP },
        aliased: { provider: 'mock', model: ALIASED },
      },
      routes: {
        default: { strategy: 'fallback', targets: ['primary', 'backup'] },
        surprise: { strategy: 'fallback', targets: ['aliased'] },
      },
      budgets: [{ name: 'all', scope: 'global', usd: '10', period: 'day' }],
      retry: { maxAttempts: 1 },
    },
  });
  const metrics = createPrometheusMetrics({ router, ...(maxLabelValues ? { maxLabelValues } : {}) });
  const server = createServer(metricsHandler(metrics, { adminKey: ADMIN_KEY }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  closers.push(
    () => new Promise((resolve) => server.close(resolve)),
    () => router.close(),
    () => mock.close(),
  );
  const scrape = async (key = ADMIN_KEY) => fetch(url, { headers: { authorization: `Bearer ${key}` } });
  return { mock, router, metrics, scrape };
}

/** The value of one series in a text exposition, by its exact line prefix. */
const seriesValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user' as const, content: 'Say hello.' }],
  ...extra,
});

describe('createPrometheusMetrics', () => {
  it('counts requests, attempts, fallbacks, surprises, exact cost, tokens and latency from scripted traffic', async () => {
    const { mock, router, scrape } = await setUp();
    const traces: RoutingTrace[] = [];
    traces.push((await router.chat(ask('default'), { caller: { key: 'team-a' } })).trace);
    mock.script(PRIMARY, [{ kind: 'error', status: 502 }]);
    traces.push((await router.chat(ask('default'), { caller: { key: 'team-a' } })).trace);
    traces.push((await router.chat(ask('surprise'), { caller: { key: 'team-b' } })).trace);
    const stream = await router.stream(ask('default'), { caller: { key: 'team-a' } });
    for await (const _chunk of stream) {
      // drain
    }
    traces.push(stream.trace);
    mock.script(PRIMARY, [{ kind: 'error', status: 400 }]);
    await router.chat(ask('default')).catch(() => undefined);

    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const ok = (model: string) =>
      `switchyard_requests_total{route="default",model="${model}",provider="mock",status="200",code="success"}`;
    expect(seriesValue(text, ok(PRIMARY))).toBe(2);
    expect(seriesValue(text, ok(BACKUP))).toBe(1);
    expect(
      seriesValue(
        text,
        `switchyard_requests_total{route="surprise",model="${ALIASED}",provider="mock",status="200",code="success"}`,
      ),
    ).toBe(1);
    expect(text).toMatch(
      /switchyard_requests_total\{route="default",model="",provider="",status="400",code="[a-z_]+"\} 1/,
    );
    expect(seriesValue(text, 'switchyard_attempts_total{target="primary",outcome="success"}')).toBe(2);
    expect(
      seriesValue(text, 'switchyard_attempts_total{target="primary",outcome="upstream_unavailable"}'),
    ).toBe(1);
    expect(seriesValue(text, 'switchyard_attempts_total{target="backup",outcome="success"}')).toBe(1);
    expect(seriesValue(text, 'switchyard_fallbacks_total{route="default"}')).toBe(1);
    expect(
      seriesValue(
        text,
        `switchyard_route_surprises_total{route="surprise",expected="${ALIASED}",served="${SERVED}"}`,
      ),
    ).toBe(1);
    // Cost: exact sums of the attempts' decimal strings, per route, model and key name.
    const costOf = (predicate: (trace: RoutingTrace) => boolean, model: string) =>
      formatUsd(
        traces
          .filter(predicate)
          .flatMap((trace) => trace.attempts)
          .filter((attempt) => attempt.model === model)
          .reduce((sum, attempt) => sum + parseUsd(attempt.costUsd), 0n),
      );
    const teamA = (trace: RoutingTrace) => trace.caller.key === 'team-a';
    expect(
      seriesValue(text, `switchyard_cost_usd_total{route="default",model="${PRIMARY}",key="team-a"}`),
    ).toBe(Number(costOf(teamA, PRIMARY)));
    expect(
      seriesValue(text, `switchyard_cost_usd_total{route="default",model="${BACKUP}",key="team-a"}`),
    ).toBe(Number(costOf(teamA, BACKUP)));
    const inputTokens = traces
      .flatMap((trace) => trace.attempts)
      .filter((attempt) => attempt.model === PRIMARY)
      .reduce((sum, attempt) => sum + (attempt.usage?.promptTokens ?? 0), 0);
    expect(seriesValue(text, `switchyard_tokens_total{model="${PRIMARY}",type="input"}`)).toBe(inputTokens);
    expect(seriesValue(text, 'switchyard_request_duration_seconds_count{route="default"}')).toBe(4);
    expect(seriesValue(text, 'switchyard_request_duration_seconds_count{route="surprise"}')).toBe(1);
    expect(seriesValue(text, `switchyard_time_to_first_token_seconds_count{model="${PRIMARY}"}`)).toBe(1);
    expect(seriesValue(text, `switchyard_time_to_first_token_seconds_sum{model="${PRIMARY}"}`)).toBeCloseTo(
      (stream.trace.attempts[0]?.firstChunkMs ?? 0) / 1000,
      6,
    );
    expect(seriesValue(text, `switchyard_breaker_open{target="mock/${PRIMARY}"}`)).toBe(0);
    const spentUsd = traces.reduce((sum, trace) => sum + parseUsd(trace.costUsd), 0n);
    expect(seriesValue(text, 'switchyard_budget_remaining_usd{budget="all"}')).toBeCloseTo(
      Number(formatUsd(parseUsd('10') - spentUsd)),
      9,
    );
    expect(text).not.toContain(PROVIDER_KEY);
    expect(text).not.toContain(ADMIN_KEY);
  });

  it('refuses a missing or wrong admin key, without naming it', async () => {
    const { scrape } = await setUp();
    const wrong = await scrape('sy-admin-metrics-key-wrong00000');
    expect(wrong.status).toBe(401);
    const body = await wrong.text();
    expect(JSON.parse(body).error.code).toBe('invalid_api_key');
    expect(body).not.toContain(ADMIN_KEY);
    expect(body).not.toContain('wrong00000');
  });

  it('folds model labels past the cap into "other"', async () => {
    const { router, scrape } = await setUp(1);
    await router.chat(ask('default'));
    await router.chat(ask('surprise'));
    const text = await (await scrape()).text();
    expect(seriesValue(text, `switchyard_tokens_total{model="${PRIMARY}",type="input"}`)).toBeGreaterThan(0);
    expect(seriesValue(text, 'switchyard_tokens_total{model="other",type="input"}')).toBeGreaterThan(0);
    expect(text).not.toContain(`model="${ALIASED}"`);
  });

  it('rejects a bad label cap, naming it', async () => {
    const mock = await startMockUpstream();
    closers.push(() => mock.close());
    const router = createRouter({
      config: { providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } } },
    });
    closers.push(() => router.close());
    expect(() => createPrometheusMetrics({ router, maxLabelValues: 0 })).toThrow(/maxLabelValues/);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatUsd, type LedgerEntry, loadConfig, parseUsd, type SwitchyardConfig } from '@switchyard/core';
import type { RequestSummary, RoutesReport, SpendReport } from '@switchyard/dashboard';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAdminKey } from '../src/admin-key.js';
import { startLogged } from './support.js';

const ADMIN_KEY = 'sk-admin-dashboard-0123456789';
const PROVIDER_KEY = 'sk-or-v1-provider-secret-for-admin-api';
const TEAM_A = 'sk-team-a-secret-0123456789';
const TEAM_B = 'sk-team-b-secret-0123456789';
const MINI = 'openai/gpt-4o-mini';
const BIG = 'openai/gpt-4o';
const SECRETS = [ADMIN_KEY, PROVIDER_KEY, TEAM_A, TEAM_B];

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

const configOf = (mock: MockUpstream): SwitchyardConfig => ({
  providers: { up: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
  models: { mini: { provider: 'up', model: MINI }, big: { provider: 'up', model: BIG } },
  routes: { default: { strategy: 'fallback', targets: ['mini', 'big'] } },
  keys: [
    { name: 'team-a', key: TEAM_A, budget: { usd: '1', period: 'day' } },
    { name: 'team-b', key: TEAM_B },
  ],
  budgets: [{ scope: 'global', usd: '10', period: 'month', name: 'everyone' }],
  limits: [{ scope: 'key', rpm: 100, name: 'per key' }],
  admin: { key: ADMIN_KEY },
});

/** A gateway whose admin key comes from the config's `admin.key`, and three requests through it. */
async function startWithTraffic() {
  // The mock serves gpt-4o as a dated snapshot: a route surprise.
  const mock = await startMockUpstream({ aliases: { [BIG]: 'openai/gpt-4o-2024-11-20' } });
  const gateway = await startLogged({ config: configOf(mock) });
  open.push(async () => {
    await gateway.close();
    await mock.close();
  });
  const clientOf = (apiKey: string) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
  const ask = (apiKey: string, model: string) =>
    clientOf(apiKey).chat.completions.create({
      model,
      messages: [{ role: 'user', content: `hello ${model}` }],
    });
  // team-a's first request falls back from mini (502) to big.
  mock.script(MINI, [{ kind: 'error', status: 502 }]);
  await ask(TEAM_A, 'default');
  await ask(TEAM_A, 'default');
  await ask(TEAM_B, 'mini');
  const admin = (path: string, key = ADMIN_KEY) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const entries = await gateway.router.ledger.query();
  return { gateway, admin, entries };
}

const sum = (entries: readonly LedgerEntry[]): string =>
  formatUsd(entries.reduce((total, entry) => total + parseUsd(entry.costUsd), 0n));

const noSecret = (text: string): void => {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
};

describe('the admin JSON API', () => {
  it('reports spend by key in time buckets, exact to the ledger, with requests, fallbacks, surprises and latency', async () => {
    const { admin, entries } = await startWithTraffic();
    expect(entries).toHaveLength(4);
    const from = Date.parse(entries[0]?.time ?? '') - 60_000;
    const to = Date.now() + 60_000;
    const response = await admin(
      `/admin/spend?groupBy=key&from=${from}&to=${new Date(to).toISOString()}&bucket=1m`,
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    noSecret(text);
    const report = JSON.parse(text) as SpendReport;
    expect(report.totals).toMatchObject({ attempts: 4, cacheHits: 0, costUsd: sum(entries) });
    expect(report.series.map((series) => series.group)).toEqual(['team-a', 'team-b']);
    for (const series of report.series) {
      const own = entries.filter((entry) => entry.key === series.group);
      expect(series.summary.costUsd).toBe(sum(own));
      // The buckets add up to the group's total, exactly.
      expect(formatUsd(series.costUsd.reduce((total, cost) => total + parseUsd(cost), 0n))).toBe(sum(own));
      expect(series.costUsd).toHaveLength(report.buckets.length);
    }
    expect(report.bucketMs).toBe(60_000);
    expect(report.requests).toMatchObject({
      total: 3,
      served: 3,
      failed: 0,
      cacheHits: 0,
      fallbacks: 1,
      escalations: 0,
      routeSurprises: 1,
      errors: {},
      attemptFailures: { upstream_unavailable: 1 },
    });
    expect(report.requests.perBucket.reduce((total, count) => total + count, 0)).toBe(3);
    expect(report.latencyMs.count).toBe(3);
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.latencyMs.max).toBeGreaterThanOrEqual(report.latencyMs.p99 ?? 0);

    const byModel = (await (await admin('/admin/spend?groupBy=model')).json()) as SpendReport;
    expect(byModel.series.map((series) => [series.group, series.summary.attempts])).toEqual([
      [BIG, 1],
      [MINI, 3],
    ]);
    const byRoute = (await (await admin('/admin/spend?groupBy=route')).json()) as SpendReport;
    expect(byRoute.series.map((series) => series.group)).toEqual(['default', null]);
    expect(byRoute.bucketMs).toBe(900_000); // the default period (24 hours) in 15-minute buckets
  });

  it('lists the last requests with their attempts, filtered, and one request by id', async () => {
    const { admin, entries } = await startWithTraffic();
    const listed = (await (await admin('/admin/requests')).json()) as {
      total: number;
      requests: RequestSummary[];
    };
    expect(listed.total).toBe(3);
    const fallback = listed.requests.find((request) => request.fallback);
    expect(fallback).toMatchObject({
      key: 'team-a',
      route: 'default',
      outcome: 'success',
      routeSurprise: true,
      served: { target: 'big', model: BIG, servedModel: 'openai/gpt-4o-2024-11-20' },
    });
    expect(fallback?.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['mini', 'upstream_unavailable'],
      ['big', 'success'],
    ]);
    const own = entries.filter((entry) => entry.requestId === fallback?.requestId);
    expect(fallback?.costUsd).toBe(sum(own));
    expect(fallback?.attempts.map((attempt) => attempt.costUsd)).toEqual(own.map((entry) => entry.costUsd));

    const one = await admin(`/admin/requests/${fallback?.requestId}`);
    expect(await one.json()).toEqual(fallback);
    const missing = await admin('/admin/requests/no-such-request');
    expect(missing.status).toBe(404);

    const filtered = async (query: string) =>
      (
        (await (await admin(`/admin/requests?${query}`)).json()) as {
          total: number;
          requests: RequestSummary[];
        }
      ).requests;
    expect(await filtered('limit=1')).toHaveLength(1);
    expect((await filtered('key=team-b')).map((request) => request.served?.target)).toEqual(['mini']);
    expect((await filtered('route=default')).every((request) => request.key === 'team-a')).toBe(true);
    expect((await filtered('outcome=upstream_unavailable')).map((request) => request.requestId)).toEqual([
      fallback?.requestId,
    ]);
    expect(await filtered('outcome=failed')).toEqual([]);
    expect(await filtered(`from=${Date.now() + 60_000}`)).toEqual([]);
  });

  it('reports routes, targets, breakers and what each budget has left', async () => {
    const { admin, entries } = await startWithTraffic();
    const response = await admin('/admin/routes');
    const text = await response.text();
    noSecret(text);
    const report = JSON.parse(text) as RoutesReport;
    expect(report.store).toBe('memory');
    expect(report.routes).toEqual([
      {
        name: 'default',
        strategy: 'fallback',
        targets: [
          { target: 'mini', provider: 'up', model: MINI, breaker: 'closed' },
          { target: 'big', provider: 'up', model: BIG, breaker: 'closed' },
        ],
      },
    ]);
    const teamA = sum(entries.filter((entry) => entry.key === 'team-a'));
    const budget = (name: string) => report.budgets.find((entry) => entry.budget === name);
    expect(budget('key team-a')).toMatchObject({
      value: 'team-a',
      period: 'day',
      limitUsd: '1',
      spentUsd: teamA,
      reservedUsd: '0',
      remainingUsd: formatUsd(parseUsd('1') - parseUsd(teamA)),
    });
    expect(budget('everyone')).toMatchObject({ value: '*', spentUsd: sum(entries), limitUsd: '10' });
    // team-a's two requests took three attempts, each one count of its key's limit.
    expect(report.rateLimits.filter((limit) => limit.limit === 'per key')).toEqual([
      expect.objectContaining({ value: 'team-a', counter: 'rpm', used: 3, allowed: 100, remaining: 97 }),
      expect.objectContaining({ value: 'team-b', counter: 'rpm', used: 1, remaining: 99 }),
    ]);
  });

  it('refuses a missing or wrong key on every endpoint, and names a bad parameter', async () => {
    const { gateway, admin } = await startWithTraffic();
    for (const path of ['/admin/spend', '/admin/requests', '/admin/routes', '/admin/requests/x']) {
      expect((await fetch(`${gateway.url}${path}`)).status).toBe(401);
      const wrong = await admin(path, 'sk-admin-wrong-0123456789abc');
      expect(wrong.status).toBe(401);
      const refusal = await wrong.text();
      noSecret(refusal);
      expect(refusal).not.toContain('sk-admin-wrong-0123456789abc');
    }
    const cases: Array<[string, string]> = [
      ['/admin/spend?groupBy=user', 'groupBy'],
      ['/admin/spend?from=yesterday', 'from'],
      ['/admin/spend?to=2026-13-45T00:00:00Z', 'to'],
      ['/admin/spend?from=2000&to=1000', 'from'],
      ['/admin/spend?bucket=1s', 'bucket'],
      ['/admin/spend?bucket=5x', 'bucket'],
      ['/admin/spend?groupBy=key&groupBy=route', 'groupBy'],
      ['/admin/spend?colour=red', 'colour'],
      ['/admin/requests?limit=0', 'limit'],
      ['/admin/requests?limit=ten', 'limit'],
      ['/admin/requests?outcome=fine', 'outcome'],
      ['/admin/routes?verbose=1', 'verbose'],
    ];
    for (const [path, param] of cases) {
      const response = await admin(path);
      const body = (await response.json()) as { error: { param: string; message: string } };
      expect({ path, status: response.status, param: body.error.param }).toEqual({
        path,
        status: 400,
        param,
      });
      expect(body.error.message).toContain(param);
    }
    const post = await fetch(`${gateway.url}/admin/spend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(post.status).toBe(405);
  });
});

describe('the admin key', () => {
  it('comes from SWITCHYARD_ADMIN_KEY or the config’s admin.key (interpolated), validated by name', async () => {
    const base = { providers: { up: { baseURL: 'http://127.0.0.1:9/api/v1' } } };
    expect(resolveAdminKey(base, { SWITCHYARD_ADMIN_KEY: ` ${ADMIN_KEY} ` })).toEqual({
      key: ADMIN_KEY,
      source: 'SWITCHYARD_ADMIN_KEY',
    });
    expect(resolveAdminKey({ ...base, admin: { key: ADMIN_KEY } }, {})).toEqual({
      key: ADMIN_KEY,
      source: 'admin.key',
    });
    expect(resolveAdminKey(base, {})).toBeUndefined();
    expect(() =>
      resolveAdminKey(
        { ...base, admin: { key: ADMIN_KEY } },
        { SWITCHYARD_ADMIN_KEY: 'sk-admin-another-0123456789' },
      ),
    ).toThrow('SWITCHYARD_ADMIN_KEY and the config’s admin.key are both set, to different keys');

    const directory = await mkdtemp(join(tmpdir(), 'switchyard-admin-'));
    const file = join(directory, 'switchyard.yaml');
    await writeFile(
      file,
      'providers:\n  up:\n    baseURL: http://127.0.0.1:9/api/v1\nadmin:\n  key: ${SWITCHYARD_ADMIN_KEY}\n',
    );
    const loaded = await loadConfig(file, { env: { SWITCHYARD_ADMIN_KEY: ADMIN_KEY } });
    expect(resolveAdminKey(loaded, {})).toEqual({ key: ADMIN_KEY, source: 'admin.key' });
    const short = loadConfig(file, { env: { SWITCHYARD_ADMIN_KEY: 'short' } });
    await expect(short).rejects.toThrow(/admin\.key.*at least 16 characters/);
    await expect(short).rejects.not.toThrow('short');
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatUsd, parseUsd } from '@switchyard/core';
import type { RequestSummary, RoutesReport, SpendReport } from '@switchyard/dashboard';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { sharedRedis, uniquePrefix } from '@switchyard/redis/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { gatewayProcesses } from './gateway-process.js';

const ADMIN_KEY = 'sk-admin-fleet-dashboard-0123';
const KEYS = { east: 'sk-fleet-east-key-0123456789', west: 'sk-fleet-west-key-0123456789' };

let redis: { url: string; stop(): Promise<void> };
let mock: MockUpstream;
let browser: Browser;
const gateways = gatewayProcesses();

beforeAll(async () => {
  [redis, mock, browser] = await Promise.all([sharedRedis(), startMockUpstream(), launchChromium()]);
}, 60_000);
afterAll(async () => {
  gateways.killAll();
  await Promise.allSettled([browser.close(), mock.close(), redis.stop()]);
});

describe('the dashboard of a fleet on Redis', () => {
  it('shows every replica’s requests and spend from any replica, in the API and the page', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-fleet-'));
    const configFile = join(directory, 'switchyard.json');
    await writeFile(
      configFile,
      JSON.stringify({
        providers: { mock: { baseURL: mock.url, apiKey: 'sk-or-v1-fleet-dashboard-provider' } },
        models: { mini: { provider: 'mock', model: 'openai/gpt-4o-mini' } },
        keys: Object.entries(KEYS).map(([name, key]) => ({ name, key })),
        budgets: [{ scope: 'global', usd: '5', period: 'day', name: 'fleet' }],
        store: { type: 'redis', url: redis.url, keyPrefix: uniquePrefix() },
        admin: { key: ADMIN_KEY },
      }),
    );
    const replicas = await Promise.all([0, 1].map(() => gateways.start(configFile)));
    const ask = (url: string, key: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'Hello, fleet.' }] }),
      });
    // East's traffic goes to the first replica, west's to the second.
    const costs: Record<string, bigint> = { east: 0n, west: 0n };
    for (const [name, replica, times] of [
      ['east', 0, 3],
      ['west', 1, 2],
    ] as const) {
      for (let index = 0; index < times; index += 1) {
        const response = await ask(replicas[replica]?.url as string, KEYS[name]);
        expect(response.status).toBe(200);
        costs[name] = (costs[name] ?? 0n) + parseUsd(response.headers.get('x-switchyard-cost') ?? '');
      }
    }
    const total = formatUsd((costs.east ?? 0n) + (costs.west ?? 0n));
    const admin = async <T>(replica: number, path: string): Promise<T> => {
      const response = await fetch(`${replicas[replica]?.url}${path}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };
    for (const replica of [0, 1]) {
      const spend = await admin<SpendReport>(replica, '/admin/spend?groupBy=key');
      expect(spend.totals.costUsd).toBe(total);
      expect(spend.requests.total).toBe(5);
      expect(spend.series.map((series) => [series.group, series.summary.costUsd])).toEqual([
        ['east', formatUsd(costs.east ?? 0n)],
        ['west', formatUsd(costs.west ?? 0n)],
      ]);
      const { requests } = await admin<{ requests: RequestSummary[] }>(replica, '/admin/requests');
      expect(requests).toHaveLength(5);
      const routes = await admin<RoutesReport>(replica, '/admin/routes');
      expect(routes.store).toBe('redis');
      // The fleet's budget counter, in Redis: both replicas' spend.
      expect(routes.budgets.find((budget) => budget.budget === 'fleet')?.spentUsd).toBe(total);
    }

    // The second replica's page shows the first replica's traffic too.
    const page = await browser.newPage();
    await page.goto(`${replicas[1]?.url}/dashboard/`);
    await page.fill('#admin-key', ADMIN_KEY);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded]');
    expect(await page.textContent('[data-stat=requests] strong')).toBe('5');
    expect(await page.textContent('[data-stat=spend] strong')).toBe(`$${total}`);
    expect(await page.textContent('#store')).toBe('store: redis');
    const east = page.locator('#spend-key tbody tr', { hasText: 'east' });
    expect(await east.locator('td').last().textContent()).toBe(`$${formatUsd(costs.east ?? 0n)}`);
    expect(await page.locator('#requests tbody tr[data-request-id]').count()).toBe(5);
    await page.close();
  }, 60_000);
});

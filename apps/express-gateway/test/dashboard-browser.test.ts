import { mkdir } from 'node:fs/promises';
import { formatUsd, type LedgerEntry, parseUsd, type SwitchyardConfig } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { startLogged } from './support.js';

const ADMIN_KEY = 'sk-admin-browser-0123456789';
const PROVIDER_KEY = 'sk-or-v1-provider-secret-for-browser';
const TEAM_A = 'sk-team-a-browser-0123456789';
const TEAM_B = 'sk-team-b-browser-0123456789';
const MINI = 'openai/gpt-4o-mini';
const BIG = 'openai/gpt-4o';
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url);

const sum = (entries: readonly LedgerEntry[]): string =>
  formatUsd(entries.reduce((total, entry) => total + parseUsd(entry.costUsd), 0n));

let browser: Browser;
const closers: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  browser = await launchChromium();
  closers.push(() => browser.close());
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

describe('the dashboard in Chromium', () => {
  it('logs in with the admin key and shows the traffic just sent, down to one request’s trace', async () => {
    const started = performance.now();
    const mock = await startMockUpstream();
    closers.push(() => mock.close());
    const config: SwitchyardConfig = {
      providers: { up: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
      models: { mini: { provider: 'up', model: MINI }, big: { provider: 'up', model: BIG } },
      routes: { default: { strategy: 'fallback', targets: ['mini', 'big'] } },
      keys: [
        { name: 'team-a', key: TEAM_A, budget: { usd: '2', period: 'day' } },
        { name: 'team-b', key: TEAM_B },
      ],
      admin: { key: ADMIN_KEY },
    };
    const gateway = await startLogged({ config });
    closers.unshift(() => gateway.close());
    const ask = (apiKey: string, model: string) =>
      new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({
        model,
        messages: [{ role: 'user', content: `hello ${model}` }],
      });
    mock.script(MINI, [{ kind: 'error', status: 502 }]);
    await ask(TEAM_A, 'default'); // falls back from mini to big
    await ask(TEAM_A, 'default');
    await ask(TEAM_B, 'mini');
    const entries = await gateway.router.ledger.query();
    const fallbackId = entries.find((entry) => entry.outcome === 'upstream_unavailable')?.requestId as string;

    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A console error would be a broken script or a blocked resource (the page's policy is strict).
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('401')) pageErrors.push(message.text());
    });
    await page.goto(`${gateway.url}/dashboard`);
    expect(page.url()).toBe(`${gateway.url}/dashboard/`);

    // A wrong key: the page refuses it, as the API does.
    await page.fill('#admin-key', 'sk-admin-wrong-0123456789abc');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toBe('Refused: that is not the admin key.');
    expect(await page.isVisible('#app')).toBe(false);
    const refused = await fetch(`${gateway.url}/admin/spend`, {
      headers: { authorization: 'Bearer sk-admin-wrong-0123456789abc' },
    });
    expect(refused.status).toBe(401);

    await page.fill('#admin-key', ADMIN_KEY);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-loaded]');
    expect(await page.isVisible('#login')).toBe(false);
    const stat = (name: string) => page.textContent(`[data-stat=${name}] strong`);
    expect(await stat('requests')).toBe('3');
    expect(await stat('spend')).toBe(`$${sum(entries)}`);
    expect(await stat('fallbacks')).toBe('1');
    expect(await stat('route-surprises')).toBe('1');
    expect(await stat('failed')).toBe('0');
    // The spend chart by key is drawn, and its table holds each key's exact cost from the ledger.
    expect(await page.locator('#chart-key canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#spend-key tbody tr').count()).toBe(2);
    for (const key of ['team-a', 'team-b']) {
      const row = page.locator('#spend-key tbody tr', { hasText: key });
      expect(await row.locator('td').last().textContent()).toBe(
        `$${sum(entries.filter((entry) => entry.key === key))}`,
      );
      expect(await row.locator('td').nth(1).textContent()).toBe(
        String(entries.filter((entry) => entry.key === key).length),
      );
    }
    expect(await page.textContent('#budgets')).toContain('key team-a');
    expect(await page.textContent('#errors')).toContain('upstream_unavailable');

    // The request list: the three requests, newest first; open the one that fell back.
    const rows = page.locator('#requests tbody tr[data-request-id]');
    expect(await rows.count()).toBe(3);
    await page.click(`#requests tr[data-request-id="${fallbackId}"]`);
    await page.waitForSelector('#trace:not([hidden]) #trace-attempts');
    expect(await page.textContent('#trace h2')).toContain(fallbackId);
    const attempts = page.locator('#trace-attempts tbody tr');
    expect(await attempts.count()).toBe(2);
    const cells = async (index: number) => attempts.nth(index).locator('td').allTextContents();
    const own = entries.filter((entry) => entry.requestId === fallbackId);
    expect((await cells(0)).slice(0, 5)).toEqual(['1', 'mini', 'up', MINI, 'upstream_unavailable']);
    expect((await cells(1)).slice(0, 5)).toEqual([
      '2',
      'big',
      'up',
      `${BIG} → ${own[1]?.servedModel}`,
      'success',
    ]);
    expect((await cells(1)).at(-1)).toBe(`$${own[1]?.costUsd}`);
    expect(await page.textContent('[data-fact=outcome]')).toBe('success');
    expect(await page.textContent('[data-fact=flags]')).toBe('fallback, route surprise');
    expect(await page.textContent('[data-fact=cost]')).toBe(`$${sum(own)}`);

    // Filter the list by key.
    await page.fill('#filter-key', 'team-b');
    await page.click('#filters button[type=submit]');
    await expect.poll(() => rows.count()).toBe(1);

    // No secret in the page; the admin key only in this tab's sessionStorage.
    const html = await page.content();
    for (const secret of [ADMIN_KEY, PROVIDER_KEY, TEAM_A, TEAM_B]) expect(html).not.toContain(secret);
    expect(await page.evaluate("sessionStorage.getItem('switchyard.adminKey')")).toBe(ADMIN_KEY);
    expect(pageErrors).toEqual([]);

    await mkdir(ARTIFACTS, { recursive: true });
    const screenshot = new URL('dashboard.png', ARTIFACTS).pathname;
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`dashboard screenshot: ${screenshot} (${Math.round(performance.now() - started)} ms)`);
  }, 30_000);
});

import type { LedgerStats, SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/create-logger.js';
import { startGateway } from '../src/start-gateway.js';
import { startLogged } from './support.js';

const ADMIN_KEY = 'sk-admin-0123456789abcdef';
const MODEL = 'openai/gpt-4o-mini';

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

const configOf = (mock: MockUpstream, ledger?: SwitchyardConfig['ledger']): SwitchyardConfig => ({
  providers: { up: { baseURL: mock.url, apiKey: 'sk-or-v1-admin-test-provider' } },
  models: { mini: { provider: 'up', model: MODEL } },
  ...(ledger === undefined ? {} : { ledger }),
});

async function startAdmin(ledger?: SwitchyardConfig['ledger']) {
  const mock = await startMockUpstream();
  const gateway = await startLogged({ config: configOf(mock, ledger), adminKey: ADMIN_KEY });
  open.push(async () => {
    await gateway.close();
    await mock.close();
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
  const admin = (path: string, key = ADMIN_KEY) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { mock, gateway, client, admin };
}

const ask = (client: OpenAI, index: number) =>
  client.chat.completions.create({
    model: 'mini',
    messages: [{ role: 'user', content: `question ${index}` }],
  });

describe('the admin ledger endpoints', () => {
  it('exports the entries held as JSON with their exact totals and the ledger’s stats', async () => {
    const { client, admin } = await startAdmin();
    const completions = [];
    for (let index = 0; index < 3; index += 1) completions.push(await ask(client, index));
    const response = await admin('/admin/ledger');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      summary: { attempts: number; costUsd: string };
      entries: Array<{ requestId: string; costUsd: string }>;
      ledger: LedgerStats & { store: string };
    };
    expect(body.entries).toHaveLength(3);
    expect(body.summary.attempts).toBe(3);
    expect(body.ledger).toMatchObject({ store: 'memory', held: 3, maxEntries: 100_000 });
    expect(body.ledger.evicted.attempts).toBe(0);
    const cost = completions.reduce(
      (sum, completion) => sum + (completion.usage as unknown as { cost: number }).cost,
      0,
    );
    expect(Number(body.summary.costUsd)).toBeCloseTo(cost, 12);
  });

  it('keeps the policy applied and the upstream provider that served, a policy violation included', async () => {
    const mock = await startMockUpstream();
    const gateway = await startLogged({
      config: {
        providers: {
          // Not the other tests' key: its 8-character end, "provider", would be redacted from answers.
          or: { baseURL: mock.url, apiKey: 'sk-or-v1-policy-test-0a1b2c3d', providerPreferences: true },
        },
        models: {
          mini: { provider: 'or', model: MODEL },
          sonnet: { provider: 'or', model: 'anthropic/claude-sonnet-4.6' },
        },
        routes: {
          private: {
            strategy: 'fallback',
            targets: ['mini', 'sonnet'],
            providerPolicy: { data_collection: 'deny', ignore: ['deepinfra'] },
          },
        },
      },
      adminKey: ADMIN_KEY,
    });
    open.push(async () => {
      await gateway.close();
      await mock.close();
    });
    mock.script(MODEL, [{ kind: 'success', servedProvider: 'DeepInfra' }]);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
    await client.chat.completions.create({ model: 'private', messages: [{ role: 'user', content: 'hi' }] });
    const response = await fetch(`${gateway.url}/admin/ledger`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const { entries } = (await response.json()) as {
      entries: Array<{ outcome: string; upstreamProvider?: string; policy?: unknown; costUsd: string }>;
    };
    const policy = { data_collection: 'deny', ignore: ['deepinfra'] };
    expect(
      entries.map(({ outcome, upstreamProvider, policy: applied }) => ({
        outcome,
        upstreamProvider,
        applied,
      })),
    ).toEqual([
      { outcome: 'policy_violation', upstreamProvider: 'DeepInfra', applied: policy },
      { outcome: 'success', upstreamProvider: 'Anthropic', applied: policy },
    ]);
    expect(Number(entries[0]?.costUsd)).toBeGreaterThan(0);
  });

  it('exports CSV, and drains: what it returns leaves the ledger, counted in the stats', async () => {
    const { client, admin } = await startAdmin();
    for (let index = 0; index < 5; index += 1) await ask(client, index);
    const csv = await admin('/admin/ledger?format=csv&drain=true&max=2');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^time,requestId,attempt,/);
    expect(lines).toHaveLength(3);
    const rest = (await (await admin('/admin/ledger?drain=1')).json()) as {
      entries: unknown[];
      ledger: LedgerStats;
    };
    expect(rest.entries).toHaveLength(3);
    expect(rest.ledger.held).toBe(0);
    expect(rest.ledger.drained.attempts).toBe(5);
    const stats = (await (await admin('/admin/ledger/stats')).json()) as LedgerStats;
    expect(stats).toMatchObject({ held: 0, drained: { attempts: 5 }, evicted: { attempts: 0 } });
  });

  it('reports what the cap evicted, by key and route, with the money', async () => {
    const { client, admin } = await startAdmin({ maxEntries: 2 });
    for (let index = 0; index < 6; index += 1) await ask(client, index);
    const stats = (await (await admin('/admin/ledger/stats')).json()) as LedgerStats;
    expect(stats.held).toBe(2);
    expect(stats.evicted.attempts).toBe(4);
    expect(stats.evicted.byRoute['']?.attempts).toBe(4);
    expect(Number(stats.evicted.costUsd)).toBeGreaterThan(0);
  });

  it('refuses callers without the admin key, and bad parameters by name', async () => {
    const { admin, gateway } = await startAdmin();
    const missing = await fetch(`${gateway.url}/admin/ledger`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const wrong = await admin('/admin/ledger', 'sk-admin-wrong-0123456789');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    for (const [query, param] of [
      ['format=xml', 'format'],
      ['max=0', 'max'],
      ['drain=maybe', 'drain'],
    ]) {
      const response = await admin(`/admin/ledger?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
    }
  });

  it('has no /admin without an admin key, and refuses a short one', async () => {
    const mock = await startMockUpstream();
    open.push(() => mock.close());
    const gateway = await startLogged({ config: configOf(mock) });
    open.push(() => gateway.close());
    const response = await fetch(`${gateway.url}/admin/ledger`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(response.status).toBe(404);
    await expect(
      startGateway({
        config: configOf(mock),
        logger: createLogger({ destination: { write: () => undefined } }),
        port: 0,
        adminKey: 'short',
      }),
    ).rejects.toThrow('the admin key (SWITCHYARD_ADMIN_KEY) must be at least 16 characters');
  });
});

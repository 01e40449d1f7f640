import type { SwitchyardConfig } from '@switchyard/core';
import { CHEAP_MODEL, DEMO_KEY, demoConfig, PREMIUM_MODEL } from '@switchyard/demo-kit';
import { defineGatewaySuite } from '@switchyard/gateway-suite';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, type StartDemoOptions, startDemo } from '../src/start-demo.js';

/** Starts the demo app on port 0 with a logger that keeps its lines. */
async function startLogged(config: StartDemoOptions['config']): Promise<RunningDemo & { logs: string[] }> {
  const logs: string[] = [];
  const logger = pino({ name: 'nest-demo' }, { write: (line: string) => logs.push(line) });
  const demo = await startDemo({ ...(config === undefined ? {} : { config }), port: 0, logger });
  return { ...demo, logs };
}

defineGatewaySuite({
  name: 'nest',
  start: async ({ config }) => {
    const demo = await startLogged(config);
    return { url: `${demo.url}/v1`, close: demo.close, logs: demo.logs };
  },
});

const TEXT = 'Nest is modular. Switchyard routes calls. Cascades try the cheap model first.';
const SUMMARY = { title: 'Nest and Switchyard', bullets: ['Nest is modular.', 'Cascades start cheap.'] };
const NARROW_KEY = 'sy-demo-narrow-key-0001';
const POOR_KEY = 'sy-demo-poor-key-0002';

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

async function start(
  extra: Partial<SwitchyardConfig> = {},
): Promise<{ mock: MockUpstream; demo: RunningDemo & { logs: string[] } }> {
  const mock = await startMockUpstream();
  const base = demoConfig(mock.url);
  const demo = await startLogged({
    ...base,
    keys: [
      ...(base.keys ?? []),
      { name: 'narrow', key: NARROW_KEY, routes: ['default'] },
      { name: 'poor', key: POOR_KEY, budget: { usd: '0.000001', period: 'day' } },
    ],
    ...extra,
  });
  open.push(demo.close, () => mock.close());
  return { mock, demo };
}

const summarize = (
  demo: RunningDemo,
  input: { body: unknown; key?: string | null; user?: string },
): Promise<Response> =>
  fetch(`${demo.url}/summarize`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-user-id': input.user ?? 'ada',
      ...(input.key === null ? {} : { authorization: `Bearer ${input.key ?? DEMO_KEY}` }),
    },
    body: typeof input.body === 'string' ? input.body : JSON.stringify(input.body),
  });

const logLines = (demo: { logs: string[] }) =>
  demo.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('POST /summarize (@UseRoute smart, @LlmBudget)', () => {
  it('serves a summary from the cheap model with the trace headers and one log line', async () => {
    const { mock, demo } = await start();
    mock.setReply(CHEAP_MODEL, JSON.stringify(SUMMARY));
    const response = await summarize(demo, { body: { text: TEXT } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      ...SUMMARY,
      model: CHEAP_MODEL,
      escalated: false,
      costUsd: response.headers.get('x-switchyard-cost'),
    });
    expect(response.headers.get('x-switchyard-route')).toBe('smart');
    expect(response.headers.get('x-switchyard-model')).toBe(CHEAP_MODEL);
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(Number(body.costUsd)).toBeGreaterThan(0);
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP_MODEL]);
    // The ceiling's worst case needs max_tokens: the demo sends 400.
    expect(mock.requests[0]?.body).toMatchObject({ max_tokens: 400 });
    await expect.poll(() => demo.logs.length).toBe(1);
    expect(logLines(demo)[0]).toMatchObject({
      method: 'POST',
      path: '/summarize',
      status: 200,
      key: 'demo',
      route: 'smart',
      model: CHEAP_MODEL,
      attempts: 1,
      requestId: response.headers.get('x-switchyard-request-id'),
    });
    expect(demo.logs[0]).not.toContain(DEMO_KEY);
  });

  it('escalates to the premium model when the cheap answer fails the zod schema', async () => {
    const { mock, demo } = await start();
    mock.setReply(CHEAP_MODEL, '{"title":"","bullets":[]}');
    mock.setReply(PREMIUM_MODEL, `\`\`\`json\n${JSON.stringify(SUMMARY)}\n\`\`\``);
    const response = await summarize(demo, { body: { text: TEXT } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ...SUMMARY, model: PREMIUM_MODEL, escalated: true });
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP_MODEL, PREMIUM_MODEL]);
  });

  it('renders a routing error in OpenAI error JSON with its status and the trace', async () => {
    const { mock, demo } = await start();
    mock.setReply(CHEAP_MODEL, 'Sure! Here is a summary.');
    mock.setReply(PREMIUM_MODEL, '{"title":"No bullets"}');
    const response = await summarize(demo, { body: { text: TEXT } });
    expect(response.status).toBe(502);
    expect(response.headers.get('x-switchyard-route')).toBe('smart');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    const { error } = (await response.json()) as { error: Record<string, unknown> };
    expect(error).toMatchObject({
      type: 'api_error',
      code: expect.stringMatching(/bad_output|all_targets_failed/),
    });
    expect(error.message).toContain('premium: bad_output');
    await expect.poll(() => demo.logs.length).toBe(1);
    expect(logLines(demo)[0]).toMatchObject({ status: 502, error: error.code, key: 'demo' });
  });

  it('refuses a missing key (401), a key without the route (403), a spent key budget (402), bad bodies (400)', async () => {
    const { mock, demo } = await start();
    const missing = await summarize(demo, { body: { text: TEXT }, key: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { type: 'authentication_error', code: 'missing_api_key' },
    });

    const narrow = await summarize(demo, { body: { text: TEXT }, key: NARROW_KEY });
    expect(narrow.status).toBe(403);
    expect(await narrow.json()).toMatchObject({ error: { code: 'route_not_allowed', param: 'model' } });

    const poor = await summarize(demo, { body: { text: TEXT }, key: POOR_KEY });
    expect(poor.status).toBe(402);
    const poorBody = (await poor.json()) as { error: { code: string; message: string } };
    expect(poorBody.error.code).toBe('budget_exceeded');
    expect(poorBody.error.message).toContain('key poor');

    const empty = await summarize(demo, { body: { text: '  ' } });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: {
        message: 'text: required, a non-empty string',
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        param: 'text',
      },
    });
    const broken = await summarize(demo, { body: '{"text": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'invalid_json' } });

    expect(mock.requests).toHaveLength(0);
    await expect.poll(() => demo.logs.length).toBe(5);
    expect(logLines(demo).map((line) => [line.status, line.error])).toEqual([
      [401, 'missing_api_key'],
      [403, 'route_not_allowed'],
      [402, 'budget_exceeded'],
      [400, 'invalid_parameter'],
      [400, 'invalid_json'],
    ]);
    for (const line of demo.logs)
      for (const key of [DEMO_KEY, NARROW_KEY, POOR_KEY]) expect(line).not.toContain(key);
  });

  it("spends at most $1 a day per user (the handler's @LlmBudget): 402 for ada, bob still served", async () => {
    const { mock, demo } = await start();
    mock.setReply(CHEAP_MODEL, JSON.stringify(SUMMARY));
    // One answer costing about $1.20: 10M prompt tokens at $0.12/M.
    mock.script(CHEAP_MODEL, [
      { kind: 'success', usage: { prompt_tokens: 10_000_000, completion_tokens: 10 } },
    ]);
    expect((await summarize(demo, { body: { text: TEXT }, user: 'ada' })).status).toBe(200);
    const denied = await summarize(demo, { body: { text: TEXT }, user: 'ada' });
    expect(denied.status).toBe(402);
    expect(((await denied.json()) as { error: { message: string } }).error.message).toContain(
      'SummarizeController.summarize per user',
    );
    expect((await summarize(demo, { body: { text: TEXT }, user: 'bob' })).status).toBe(200);
  });
});

describe('GET /health (Terminus)', () => {
  it('is up with closed breakers, and 503 naming the target once its breaker opens', async () => {
    const { mock, demo } = await start({ breaker: { failureThreshold: 2 }, retry: { maxAttempts: 1 } });
    const up = await fetch(`${demo.url}/health`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({
      status: 'ok',
      info: { llm: { status: 'up', store: { status: 'up' } } },
    });

    mock.script(PREMIUM_MODEL, [{ kind: 'error', status: 502, times: 5 }]);
    for (let call = 0; call < 2; call += 1) {
      const answer = await fetch(`${demo.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_KEY}` },
        body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hi.' }] }),
      });
      expect(answer.headers.get('x-switchyard-model')).toBe(CHEAP_MODEL);
    }
    const down = await fetch(`${demo.url}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'error',
      error: { llm: { status: 'down', open: [`openrouter/${PREMIUM_MODEL}`] } },
    });
  });
});

describe('the embedded default', () => {
  it('starts the mock upstream in-process and stops it with the app', async () => {
    const demo = await startLogged(undefined);
    const { mock } = demo.source;
    expect(demo.source.description).toBe('embedded mock upstream');
    const response = await summarize(demo, { body: { text: TEXT } });
    expect(await response.json()).toMatchObject({ model: PREMIUM_MODEL, escalated: true });
    await demo.close();
    await expect(fetch(`${mock?.url}/models`)).rejects.toThrow();
  });
});

describe('the dashboard and admin API on Nest', () => {
  it('serves them with the config’s admin key, and refuses a wrong one', async () => {
    const adminKey = 'sk-admin-nest-demo-0123456789';
    const mock = await startMockUpstream();
    const demo = await startDemo({
      config: { ...demoConfig(mock.url), admin: { key: adminKey } },
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    try {
      const answer = await fetch(`${demo.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hello, Nest.' }] }),
      });
      expect(answer.status).toBe(200);
      const admin = (path: string, key = adminKey) =>
        fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      const spend = (await (await admin('/admin/spend?groupBy=key')).json()) as {
        totals: { costUsd: string };
        requests: { total: number };
      };
      expect(spend.totals.costUsd).toBe(answer.headers.get('x-switchyard-cost'));
      expect(spend.requests.total).toBe(1);
      expect((await admin('/admin/spend?bucket=0m')).status).toBe(400);
      expect((await admin('/admin/routes', 'sk-admin-wrong-0123456789')).status).toBe(401);
      const page = await fetch(`${demo.url}/dashboard/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Switchyard dashboard');
    } finally {
      await demo.close();
      await mock.close();
    }
  });
});

describe('GET /metrics', () => {
  it("serves the router's Prometheus metrics behind the admin key", async () => {
    const mock = await startMockUpstream();
    const demo = await startDemo({
      config: demoConfig(mock.url),
      port: 0,
      logger: pino({ level: 'silent' }),
      adminKey: 'sy-nest-admin-key-000000000',
    });
    open.push(demo.close, () => mock.close());
    const chat = await fetch(`${demo.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_KEY}` },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(chat.status).toBe(200);
    expect((await fetch(`${demo.url}/metrics`)).status).toBe(401);
    const scrape = await fetch(`${demo.url}/metrics`, {
      headers: { authorization: 'Bearer sy-nest-admin-key-000000000' },
    });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(/^switchyard_requests_total\{route="default",[^}]*code="success"\} 1$/m);
    expect(text).not.toContain(DEMO_KEY);
  });
});

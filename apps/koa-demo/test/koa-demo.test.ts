import { formatUsd, parseUsd, percentOf, type SwitchyardConfig } from '@switchyard/core';
import {
  BACKUP_EMBEDDING_MODEL,
  CHEAP_MODEL,
  DEMO_KEY,
  demoConfig,
  EMBEDDING_MODEL,
  PREMIUM_MODEL,
  startEmbeddedUpstream,
} from '@switchyard/demo-kit';
import { defineGatewaySuite } from '@switchyard/gateway-suite';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../src/start-demo.js';

/** Starts the demo app on port 0 with a logger that keeps its lines. */
async function startLogged(config: SwitchyardConfig): Promise<RunningDemo & { logs: string[] }> {
  const logs: string[] = [];
  const logger = pino({ name: 'koa-demo' }, { write: (line: string) => logs.push(line) });
  const demo = await startDemo({ config, port: 0, logger });
  return { ...demo, logs };
}

defineGatewaySuite({
  name: 'koa',
  start: async ({ config }) => {
    const demo = await startLogged(config);
    return { url: `${demo.url}/v1`, close: demo.close, logs: demo.logs };
  },
});

const TEXT = 'Koa is small. Switchyard routes calls. Cascades try the cheap model first.';
const SUMMARY = { title: 'Koa and Switchyard', bullets: ['Koa is small.', 'Cascades start cheap.'] };
const NARROW_KEY = 'sy-demo-narrow-key-0001';
const POOR_KEY = 'sy-demo-poor-key-0002';

describe('POST /summarize on ctx.state.switchyard', () => {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((close) => close()));
  });

  async function start(): Promise<{ mock: MockUpstream; demo: RunningDemo & { logs: string[] } }> {
    const mock = await startMockUpstream();
    const base = demoConfig(mock.url);
    const demo = await startLogged({
      ...base,
      keys: [
        ...(base.keys ?? []),
        { name: 'narrow', key: NARROW_KEY, routes: ['default'] },
        { name: 'poor', key: POOR_KEY, budget: { usd: '0.000001', period: 'day' } },
      ],
    });
    open.push(demo.close, () => mock.close());
    return { mock, demo };
  }

  const summarize = (demo: RunningDemo, body: unknown, key: string | null = DEMO_KEY) =>
    fetch(`${demo.url}/summarize`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-user-id': 'ada',
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify(body),
    });

  it('serves a summary from the cheap model with the trace headers and one log line', async () => {
    const { mock, demo } = await start();
    mock.setReply(CHEAP_MODEL, JSON.stringify(SUMMARY));
    const response = await summarize(demo, { text: TEXT });
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
    expect(response.headers.get('x-switchyard-fallback')).toBe('false');
    expect(Number(body.costUsd)).toBeGreaterThan(0);
    // The instruction went upstream with the text, through the cascade's first target.
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP_MODEL]);
    await expect.poll(() => demo.logs.length).toBe(1);
    expect(JSON.parse(demo.logs[0] as string)).toMatchObject({
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
    // Valid JSON (the route's own check passes), but not a summary: the zod schema rejects it.
    mock.setReply(CHEAP_MODEL, '{"title":"","bullets":[]}');
    mock.setReply(PREMIUM_MODEL, `\`\`\`json\n${JSON.stringify(SUMMARY)}\n\`\`\``);
    const response = await summarize(demo, { text: TEXT });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ...SUMMARY, model: PREMIUM_MODEL, escalated: true });
    expect(response.headers.get('x-switchyard-model')).toBe(PREMIUM_MODEL);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP_MODEL, PREMIUM_MODEL]);
  });

  it('renders a routing error in OpenAI error JSON with its status and the trace', async () => {
    const { mock, demo } = await start();
    mock.setReply(CHEAP_MODEL, 'Sure! Here is a summary.');
    mock.setReply(PREMIUM_MODEL, '{"title":"No bullets"}');
    const response = await summarize(demo, { text: TEXT });
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
    expect(JSON.parse(demo.logs[0] as string)).toMatchObject({ status: 502, error: error.code });
  });

  it('refuses a missing key (401), a key without the route (403), a spent budget (402) and a bad body (400)', async () => {
    const { mock, demo } = await start();
    const missing = await summarize(demo, { text: TEXT }, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { type: 'authentication_error', code: 'missing_api_key' },
    });

    const narrow = await summarize(demo, { text: TEXT }, NARROW_KEY);
    expect(narrow.status).toBe(403);
    expect(await narrow.json()).toMatchObject({ error: { code: 'route_not_allowed', param: 'model' } });

    const poor = await summarize(demo, { text: TEXT }, POOR_KEY);
    expect(poor.status).toBe(402);
    expect(await poor.json()).toMatchObject({
      error: { code: 'budget_exceeded', type: 'insufficient_quota' },
    });

    const empty = await summarize(demo, { text: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: {
        message: 'text: required, a non-empty string',
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        param: 'text',
      },
    });
    expect(mock.requests).toHaveLength(0);
    await expect.poll(() => demo.logs.length).toBe(4);
    for (const line of demo.logs)
      for (const key of [DEMO_KEY, NARROW_KEY, POOR_KEY]) expect(line).not.toContain(key);
  });
});

describe('the embedded default (demo-kit)', () => {
  it("answers tools with a tool call and json_schema with the schema's shape on the banner's model", async () => {
    const embedded = await startEmbeddedUpstream();
    const demo = await startLogged(embedded.config);
    try {
      const client = new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
      const tool = await client.chat.completions.create({
        model: 'default',
        messages: [{ role: 'user', content: 'What time is it in Lisbon?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_time',
              parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
            },
          },
        ],
      });
      expect(tool.choices[0]?.finish_reason).toBe('tool_calls');
      expect(tool.choices[0]?.message.tool_calls?.[0]).toMatchObject({
        type: 'function',
        function: { name: 'get_time', arguments: '{"zone":"example"}' },
      });
      const json = await client.chat.completions.create({
        model: 'default',
        messages: [{ role: 'user', content: 'Rate Lisbon.' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'rating',
            schema: {
              type: 'object',
              properties: { stars: { type: 'integer' }, verdict: { type: 'string', enum: ['good', 'bad'] } },
              required: ['stars', 'verdict'],
            },
          },
        },
      });
      expect(JSON.parse(json.choices[0]?.message.content ?? '')).toEqual({ stars: 1, verdict: 'good' });
    } finally {
      await demo.close();
      await embedded.mock.close();
    }
  });

  it('embeds on its embed route, priced at the demo price per input token, falling back to the backup', async () => {
    const embedded = await startEmbeddedUpstream();
    const demo = await startLogged(embedded.config);
    try {
      const client = new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
      const { data, response } = await client.embeddings
        .create({ model: 'embed', input: ['Koa is small.', 'Switchyard routes calls.'] })
        .withResponse();
      expect(data.model).toBe(EMBEDDING_MODEL);
      expect(data.data.map((item) => item.embedding.length)).toEqual([1536, 1536]);
      const price = embedded.config.models?.embedder?.pricing?.prompt as string;
      // The demo's provider charges OpenRouter's 5.5% fee on top.
      const tokenCost = BigInt(data.usage.prompt_tokens) * parseUsd(price);
      expect(response.headers.get('x-switchyard-cost')).toBe(
        formatUsd(tokenCost + percentOf(tokenCost, '5.5')),
      );

      embedded.mock.script(EMBEDDING_MODEL, [{ kind: 'error', status: 503 }]);
      const fallback = await client.embeddings.create({ model: 'embed', input: 'again' }).withResponse();
      expect(fallback.data.model).toBe(BACKUP_EMBEDDING_MODEL);
      expect(fallback.response.headers.get('x-switchyard-fallback')).toBe('true');
    } finally {
      await demo.close();
      await embedded.mock.close();
    }
  });
});

describe('the dashboard and admin API on Koa', () => {
  it('serves them with the config’s admin key, and refuses a wrong one', async () => {
    const adminKey = 'sk-admin-koa-demo-0123456789';
    const mock = await startMockUpstream();
    const demo = await startLogged({ ...demoConfig(mock.url), admin: { key: adminKey } });
    try {
      const client = new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
      const completion = await client.chat.completions
        .create({ model: 'default', messages: [{ role: 'user', content: 'Hello, Koa.' }] })
        .withResponse();
      const cost = completion.response.headers.get('x-switchyard-cost');
      const admin = (path: string, key = adminKey) =>
        fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      const spend = (await (await admin('/admin/spend?groupBy=key')).json()) as {
        totals: { costUsd: string };
        requests: { total: number };
      };
      expect(spend.totals.costUsd).toBe(cost);
      expect(spend.requests.total).toBe(1);
      expect((await admin('/admin/requests?limit=x')).status).toBe(400);
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
    const embedded = await startEmbeddedUpstream();
    const demo = await startDemo({
      config: embedded.config,
      port: 0,
      logger: pino({ level: 'silent' }),
      adminKey: 'sy-koa-admin-key-000000000',
    });
    try {
      const client = new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
      await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] });
      expect((await fetch(`${demo.url}/metrics`)).status).toBe(401);
      const scrape = await fetch(`${demo.url}/metrics`, {
        headers: { authorization: 'Bearer sy-koa-admin-key-000000000' },
      });
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^switchyard_requests_total\{route="default",[^}]*code="success"\} 1$/m);
      expect(text).not.toContain(DEMO_KEY);
    } finally {
      await demo.close();
      await embedded.mock.close();
    }
  });
});

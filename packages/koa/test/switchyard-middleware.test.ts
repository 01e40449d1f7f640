import KoaRouter from '@koa/router';
import { type ChatRequest, formatUsd, parseUsd } from '@switchyard/core';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { openAIErrors, type SwitchyardMiddlewareOptions, switchyard } from '../src/index.js';
import {
  ask,
  CHEAP,
  EMBEDDER,
  EMBEDDER_PRICE,
  listen,
  PREMIUM,
  PROVIDER_KEY,
  postJson,
  startRouter,
} from './support/start-koa.js';

/**
 * An app with `POST /ask` answering `{ text }` from `ctx.state.switchyard.chat`, or SSE when the
 * body says `stream: true`; `withErrors` renders errors in OpenAI's shape.
 */
async function startApp(
  options: { withErrors?: boolean; middleware?: Omit<SwitchyardMiddlewareOptions, 'router'> } = {},
) {
  const { mock, router } = await startRouter();
  const app = new Koa();
  app.silent = true;
  const appErrors: unknown[] = [];
  app.on('error', (error) => appErrors.push(error));
  const routes = new KoaRouter();
  if (options.withErrors === true) routes.use(openAIErrors());
  routes.post('/ask', switchyard({ router, ...options.middleware }), async (ctx) => {
    let text = '';
    for await (const chunk of ctx.req) text += chunk;
    const body = JSON.parse(text) as ChatRequest & { timeoutMs?: number };
    const { timeoutMs, ...request } = body;
    const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    if (request.stream === true) {
      await ctx.state.switchyard.sendStream(await ctx.state.switchyard.stream(request, { signal }));
      return;
    }
    const { response } = await ctx.state.switchyard.chat(request, {
      tags: ['per-call'],
      ...(signal === undefined ? {} : { signal }),
    });
    ctx.body = { text: response.choices[0]?.message.content, caller: ctx.state.switchyard.caller };
  });
  routes.post('/twice', switchyard({ router, ...options.middleware }), async (ctx) => {
    await ctx.state.switchyard.chat(ask('cheap'));
    await ctx.state.switchyard.chat(ask('default'));
    ctx.body = { costs: ctx.state.switchyard.traces.map((trace) => trace.costUsd) };
  });
  routes.post('/embed', switchyard({ router, ...options.middleware }), async (ctx) => {
    const { response } = await ctx.state.switchyard.embed({
      model: 'embedder',
      input: ['koa docs', 'more docs'],
    });
    ctx.body = { vectors: response.data.length, tokens: response.usage?.prompt_tokens };
  });
  routes.post('/boom', switchyard({ router }), () => {
    throw new Error(`a bug that mentions ${PROVIDER_KEY}`);
  });
  app.use(routes.routes());
  const origin = await listen(app);
  return { mock, router, origin, appErrors };
}

describe('switchyard() and ctx.state.switchyard', () => {
  it('carries the caller into every call and sets the trace headers', async () => {
    const { origin, router, mock } = await startApp({
      middleware: { identify: (ctx) => ({ key: 'team-a', user: ctx.get('x-user'), tags: ['koa'] }) },
    });
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    mock.setReply(CHEAP, 'Hello from cheap.');
    const response = await postJson(`${origin}/ask`, ask('default'), { 'x-user': 'ada' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      text: 'Hello from cheap.',
      caller: { key: 'team-a', user: 'ada', tags: ['koa'] },
    });
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-model')).toBe(CHEAP);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    const entries = await router.ledger.query({ user: 'ada' });
    expect(entries.map((entry) => [entry.key, entry.outcome, entry.tags])).toEqual([
      ['team-a', 'upstream_unavailable', ['koa', 'per-call']],
      ['team-a', 'success', ['koa', 'per-call']],
    ]);
  });

  it('adds up the attempts and the cost of every call of the request in the headers', async () => {
    const { origin, mock } = await startApp();
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const response = await postJson(`${origin}/twice`, {});
    const { costs } = (await response.json()) as { costs: string[] };
    expect(costs).toHaveLength(2);
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-attempts')).toBe('3');
    const total = costs.reduce((sum, cost) => sum + Number(cost), 0);
    expect(Number(response.headers.get('x-switchyard-cost'))).toBeCloseTo(total, 12);
  });

  it('embeds through ctx.state.switchyard.embed with the caller, the cost in headers and the ledger', async () => {
    const { origin, router } = await startApp({ middleware: { identify: () => ({ key: 'search' }) } });
    const response = await postJson(`${origin}/embed`, {});
    const body = (await response.json()) as { vectors: number; tokens: number };
    expect(body.vectors).toBe(2);
    expect(response.headers.get('x-switchyard-model')).toBe(EMBEDDER);
    const cost = formatUsd(BigInt(body.tokens) * parseUsd(EMBEDDER_PRICE));
    expect(response.headers.get('x-switchyard-cost')).toBe(cost);
    const entries = await router.ledger.query({ operation: 'embeddings' });
    expect(entries.map((entry) => [entry.key, entry.costUsd])).toEqual([['search', cost]]);
  });

  it('lets Koa render a routing error natively, with its status and exposed message', async () => {
    const { origin } = await startApp();
    const response = await postJson(`${origin}/ask`, ask('no-such-route'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('no-such-route');
  });

  it('renders a budget refusal in OpenAI error JSON with its status and trace headers', async () => {
    const { origin, mock } = await startApp({
      withErrors: true,
      middleware: {
        budgets: [{ scope: 'user', usd: '0.000001', period: 'day' }],
        identify: () => ({ user: 'bob' }),
      },
    });
    const response = await postJson(`${origin}/ask`, ask('default'));
    expect(response.status).toBe(402);
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    const body = (await response.json()) as { error: { code: string; type: string } };
    expect(body.error).toMatchObject({ code: 'budget_exceeded', type: 'insufficient_quota' });
    expect(mock.requests).toHaveLength(0);
  });

  it('applies the cost ceiling to every call', async () => {
    const { origin } = await startApp({ withErrors: true, middleware: { maxCostUsd: '0.0000000001' } });
    const response = await postJson(`${origin}/ask`, ask('default'));
    expect(response.status).toBe(402);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cost_ceiling');
  });

  it("keeps the caller's provider policy on every call: a tenant that denies data collection is refused", async () => {
    const { origin, router } = await startApp({
      withErrors: true,
      middleware: {
        identify: (ctx) => ({ key: ctx.get('x-tenant') }),
        policy: (_ctx, caller) => (caller.key === 'eu' ? { data_collection: 'deny' } : { sort: 'price' }),
      },
    });
    expect((await postJson(`${origin}/ask`, ask('default'), { 'x-tenant': 'us' })).status).toBe(200);
    const [entry] = await router.ledger.query({ key: 'us' });
    expect(entry?.policy).toEqual({ sort: 'price' });
    // The mock is no OpenRouter: it cannot promise data_collection: deny, so no target may serve.
    const refused = await postJson(`${origin}/ask`, ask('default'), { 'x-tenant': 'eu' });
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect({ status: refused.status, ...body.error }).toMatchObject({
      status: 404,
      code: 'not_supported',
      message:
        'no target can serve this request: premium: policy:data_collection; cheap: policy:data_collection',
    });
    expect(await router.ledger.query({ key: 'eu' })).toEqual([]);
  });

  it('renders a Koa HttpError from identify in OpenAI error JSON', async () => {
    const { origin } = await startApp({
      withErrors: true,
      middleware: {
        identify: (ctx) => ctx.throw(401, 'send a key', { headers: { 'www-authenticate': 'Bearer' } }),
      },
    });
    const response = await postJson(`${origin}/ask`, ask('default'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      error: { message: 'send a key', type: 'authentication_error', code: 'http_error', param: null },
    });
  });

  it('hides an internal error from the client and emits it on the app', async () => {
    const { origin, appErrors } = await startApp({ withErrors: true });
    const response = await postJson(`${origin}/boom`, {});
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { message: 'internal error', type: 'api_error', code: null, param: null },
    });
    expect(text).not.toContain(PROVIDER_KEY);
    expect(appErrors).toHaveLength(1);
  });

  it('sends a routed stream as SSE through the shared bridge', async () => {
    const { origin, mock } = await startApp();
    mock.setReply(PREMIUM, 'One two three.');
    const response = await postJson(`${origin}/ask`, { ...ask('default'), stream: true });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-switchyard-model')).toBe(PREMIUM);
    const events = (await response.text())
      .split('\n\n')
      .filter((event) => event.startsWith('data: '))
      .map((event) => event.slice('data: '.length));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('One two three.');
    // The cost is known at the end: in the last usage chunk (the headers went out before it).
    expect(chunks.at(-1).usage.cost).toBeGreaterThan(0);
  });

  it('aborts the upstream call when the client disconnects', async () => {
    const { origin, mock } = await startApp();
    mock.script(PREMIUM, [{ kind: 'success', delayMs: 5_000 }]);
    const controller = new AbortController();
    const pending = fetch(`${origin}/ask`, {
      method: 'POST',
      body: JSON.stringify(ask('default')),
      signal: controller.signal,
    });
    await mock.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
    expect(mock.requests).toHaveLength(1);
  });

  it('follows a per-call signal as well', async () => {
    const { origin, mock } = await startApp({ withErrors: true });
    mock.script(PREMIUM, [{ kind: 'success', delayMs: 5_000 }]);
    const response = await postJson(`${origin}/ask`, { ...ask('default'), timeoutMs: 100 });
    expect(response.status).toBe(499);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('aborted');
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
  });
});

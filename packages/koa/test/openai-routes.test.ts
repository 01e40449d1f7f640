import type { GatewayRequestLog } from '@switchyard/core/node';
import Koa from 'koa';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openAIRoutes } from '../src/index.js';
import {
  ask,
  CHEAP,
  EMBEDDER,
  listen,
  PREMIUM,
  PROVIDER_KEY,
  postJson,
  startRouter,
} from './support/start-koa.js';

const GATEWAY_KEY = 'sy-koa-test-key-0001';

async function startGateway(options: { prefix?: string } = {}) {
  const { mock, router } = await startRouter();
  const logs: GatewayRequestLog[] = [];
  const app = new Koa();
  app.use(async (ctx, next) => {
    // Headers of middleware in front (CORS, request ids) reach the bridge's answers.
    ctx.set('access-control-allow-origin', '*');
    await next();
  });
  app.use(
    openAIRoutes({
      router,
      keys: [{ name: 'team-a', key: GATEWAY_KEY }],
      bodyLimitBytes: 16 * 1024,
      onRequest: (entry) => logs.push(entry),
      ...options,
    }),
  );
  app.use((ctx) => {
    if (ctx.path !== '/v1/unknown') ctx.body = { fellThrough: ctx.path };
  });
  const origin = await listen(app);
  const baseURL = `${origin}${options.prefix ?? '/v1'}`;
  const client = new OpenAI({ baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
  return { mock, router, origin, baseURL, client, logs };
}

describe('openAIRoutes', () => {
  it('serves a completion to the openai SDK with the trace headers and the whole cost', async () => {
    const { client, mock, logs } = await startGateway();
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const { data, response } = await client.chat.completions.create(ask('default')).withResponse();
    expect(data.model).toBe(CHEAP);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    expect(logs).toEqual([
      expect.objectContaining({ method: 'POST', status: 200, key: 'team-a', model: CHEAP, fallback: true }),
    ]);
  });

  it('serves embeddings to the openai SDK, base64 by default as the SDK asks, with the trace headers', async () => {
    const { client, logs } = await startGateway();
    const { data, response } = await client.embeddings
      .create({ model: 'embedder', input: 'koa embeds' })
      .withResponse();
    expect(data.model).toBe(EMBEDDER);
    expect(data.data[0]?.embedding).toHaveLength(1536);
    expect(response.headers.get('x-switchyard-route')).toBe('embedder');
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    expect(logs.at(-1)).toMatchObject({ path: '/v1/embeddings', status: 200, model: EMBEDDER });
  });

  it('streams SSE through the bridge', async () => {
    const { client, mock } = await startGateway();
    mock.setReply(PREMIUM, 'One two three.');
    const stream = await client.chat.completions.create({ ...ask('default'), stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('One two three.');
  });

  it('lists the routes and aliases on GET /models', async () => {
    const { client } = await startGateway();
    const models = await client.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual([
      'cheap',
      'default',
      'embedder',
      'premium',
      'smart',
    ]);
  });

  it('serves under a custom prefix and leaves other paths to the next middleware', async () => {
    const { client, origin } = await startGateway({ prefix: '/api/openai' });
    const completion = await client.chat.completions.create(ask('cheap'));
    expect(completion.model).toBe(CHEAP);
    const other = await fetch(`${origin}/v1/chat/completions`, { method: 'POST' });
    expect(await other.json()).toEqual({ fellThrough: '/v1/chat/completions' });
  });

  it('answers a path under the prefix that nothing served with a 404 in OpenAI error JSON', async () => {
    const { baseURL, origin } = await startGateway();
    const response = await fetch(`${baseURL}/unknown`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'no endpoint GET /v1/unknown',
        type: 'not_found_error',
        code: 'not_found',
        param: null,
      },
    });
    expect(await (await fetch(`${origin}/v1/served-below`)).json()).toEqual({
      fellThrough: '/v1/served-below',
    });
  });

  it('answers a wrong method with 405 and Allow in OpenAI error JSON', async () => {
    const { baseURL } = await startGateway();
    const response = await fetch(`${baseURL}/chat/completions`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({
      error: {
        message: 'GET /v1/chat/completions is not allowed; use POST',
        type: 'invalid_request_error',
        code: 'method_not_allowed',
        param: null,
      },
    });
  });

  it('answers 401 without a key, 413 past the body limit, never echoing the provider key', async () => {
    const { baseURL, mock } = await startGateway();
    const missing = await postJson(`${baseURL}/chat/completions`, ask('default'));
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const large = await postJson(`${baseURL}/chat/completions`, ask('default', 'x'.repeat(20_000)), {
      authorization: `Bearer ${GATEWAY_KEY}`,
    });
    expect(large.status).toBe(413);
    expect(await large.text()).not.toContain(PROVIDER_KEY);
    expect(mock.requests).toHaveLength(0);
  });

  it('uses a body a parser already read', async () => {
    const { router } = await startRouter();
    const app = new Koa();
    app.use(async (ctx, next) => {
      // A body parser in front of the gateway: it consumed the stream and set ctx.request.body.
      let text = '';
      for await (const chunk of ctx.req) text += chunk;
      (ctx.request as { body?: unknown }).body = JSON.parse(text);
      await next();
    });
    app.use(openAIRoutes({ router }));
    const client = new OpenAI({ baseURL: `${await listen(app)}/v1`, apiKey: 'unused', maxRetries: 0 });
    const completion = await client.chat.completions.create(ask('cheap'));
    expect(completion.model).toBe(CHEAP);
  });

  it('aborts the upstream call when the client disconnects', async () => {
    const { client, mock } = await startGateway();
    mock.script(PREMIUM, [{ kind: 'success', delayMs: 5_000 }]);
    const controller = new AbortController();
    const pending = client.chat.completions.create(ask('default'), { signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
  });
});

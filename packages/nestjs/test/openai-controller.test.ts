import { Module } from '@nestjs/common';
import type { GatewayKeyConfig, SwitchyardConfig } from '@switchyard/core';
import { applyServerLimits } from '@switchyard/core/node';
import { defineGatewaySuite, logCutsTo } from '@switchyard/gateway-suite';
import OpenAI from 'openai';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createOpenAIController, SwitchyardModule } from '../src/index.js';
import {
  ask,
  buildApp,
  CATALOG,
  CHEAP,
  createApp,
  type ErrorBody,
  listen,
  mockConfig,
  PREMIUM,
  startMock,
} from './support/nest-app.js';

defineGatewaySuite({
  name: 'nest',
  start: async ({ config }) => {
    const logs: string[] = [];
    @Module({
      imports: [
        SwitchyardModule.forRoot({
          config,
          gateway: { onRequest: (entry) => logs.push(JSON.stringify(entry)) },
        }),
      ],
      controllers: [createOpenAIController()],
    })
    class GatewayModule {}
    const app = await buildApp({ imports: [GatewayModule] }, { bodyParser: false });
    // The suite's slowloris and slow body are cut by the config's server limits.
    applyServerLimits(app.getHttpServer(), config.server, logCutsTo(logs));
    const url = await listen(app);
    return { url: `${url}/v1`, close: () => app.close(), logs };
  },
});

const KEY = 'sk-sy-nest-test-0001';
const NARROW = 'sk-sy-nest-narrow-0002';
const KEYS: GatewayKeyConfig[] = [
  { name: 'team', key: KEY },
  { name: 'narrow', key: NARROW, routes: ['cheap'] },
];

/** Reads SSE events (`data:` payloads) until the stream ends. */
async function readEvents(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

async function start(input: {
  extra?: Partial<SwitchyardConfig>;
  path?: string;
  prefix?: string;
  bodyParser?: boolean;
  bodyLimitBytes?: number;
}) {
  const mock = await startMock();
  const logs: Array<{ path: string; status: number; key: string | undefined }> = [];
  const app = await createApp(
    {
      imports: [
        SwitchyardModule.forRoot({
          config: mockConfig(mock.url, input.extra),
          router: { catalog: CATALOG },
          gateway: {
            ...(input.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: input.bodyLimitBytes }),
            onRequest: (entry) => logs.push(entry),
          },
        }),
      ],
      controllers: [createOpenAIController(input.path === undefined ? {} : { path: input.path })],
    },
    {
      bodyParser: input.bodyParser ?? false,
      ...(input.prefix === undefined ? {} : { globalPrefix: input.prefix }),
    },
  );
  const url = await listen(app);
  return { mock, app, url, logs };
}

const post = (url: string, body: unknown, key?: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('createOpenAIController()', () => {
  it('answers chat completions with the routing trace in headers and the cost in usage.cost', async () => {
    const { mock, url, logs } = await start({ extra: { keys: KEYS } });
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'Hello!' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(`Mock reply from ${CHEAP}: you said "Hello!".`);
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-model')).toBe(CHEAP);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(String(data.usage && (data.usage as { cost?: number }).cost)).toBe(
      response.headers.get('x-switchyard-cost'),
    );
    expect(logs).toEqual([
      expect.objectContaining({ path: '/v1/chat/completions', status: 200, key: 'team', fallback: true }),
    ]);
  });

  it('streams SSE through the shared bridge, the usage chunk carrying the cost', async () => {
    const { url } = await start({});
    const response = await post(`${url}/v1/chat/completions`, {
      ...ask('Stream me.', 'smart'),
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-switchyard-model')).toBe(CHEAP);
    const events = await readEvents(response);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events
      .slice(0, -1)
      .map(
        (event) =>
          JSON.parse(event) as { choices: Array<{ delta?: { content?: string } }>; usage?: { cost: number } },
      );
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe(`Mock reply from ${CHEAP}: you said "Stream me.".`);
    expect(chunks.at(-1)?.usage?.cost).toBeGreaterThan(0);
  });

  it('aborts the upstream stream when the client disconnects', async () => {
    const { mock, url, logs } = await start({});
    mock.script(PREMIUM, [{ kind: 'stall', afterChunks: 2 }]);
    const controller = new AbortController();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask('Go on.', 'premium'), stream: true }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    controller.abort();
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
    await expect.poll(() => logs.length).toBe(1);
    expect(logs[0]).toMatchObject({ path: '/v1/chat/completions', status: 200 });
  });

  it('lists the routes and aliases a key may use at GET /v1/models; 401 and 403 for keys', async () => {
    const { mock, url } = await start({ extra: { keys: KEYS } });
    const all = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
    const ids = ((await all.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['default', 'smart', 'quick', 'cheap', 'premium', 'fast']));
    const narrow = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${NARROW}` } });
    expect(((await narrow.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual([
      'cheap',
    ]);

    const missing = await post(`${url}/v1/chat/completions`, ask('Hi.', 'default'));
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('missing_api_key');
    const forbidden = await post(`${url}/v1/chat/completions`, ask('Hi.', 'default'), NARROW);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as ErrorBody).error).toMatchObject({
      code: 'route_not_allowed',
      param: 'model',
    });
    expect(mock.requests.filter((entry) => entry.path.endsWith('/chat/completions'))).toHaveLength(0);
  });

  it('mounts at its path below the global prefix', async () => {
    const { url, logs } = await start({ path: 'llm', prefix: 'api' });
    const answer = await post(`${url}/api/llm/chat/completions`, ask('Hi.', 'cheap'));
    expect(answer.status).toBe(200);
    expect((await fetch(`${url}/v1/models`)).status).toBe(404);
    const wrong = await post(`${url}/api/llm/models`, {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect(((await wrong.json()) as ErrorBody).error).toMatchObject({
      code: 'method_not_allowed',
      message: 'POST /api/llm/models is not allowed; use GET, HEAD',
    });
    expect(logs[0]?.path).toBe('/api/llm/chat/completions');
  });

  it('reads the body itself when the app has no body parser: 400 for bad JSON, 413 past the limit', async () => {
    const { url } = await start({ bodyLimitBytes: 1024 });
    const bad = await post(`${url}/v1/chat/completions`, '{"model": "default", "messages": [');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error).toMatchObject({ code: 'invalid_json' });
    const large = await post(`${url}/v1/chat/completions`, ask('x'.repeat(2048), 'default'));
    expect(large.status).toBe(413);
    expect(((await large.json()) as ErrorBody).error.code).toBe('body_too_large');
  });

  it("works behind Nest's JSON body parser too, with the body it parsed", async () => {
    const { app } = await start({ bodyParser: true });
    const answer = await request(app.getHttpServer())
      .post('/v1/chat/completions')
      .send({ ...ask('Parsed already.', 'cheap'), max_tokens: 64 })
      .expect(200);
    expect(answer.body.choices[0].message.content).toContain('Parsed already.');
    expect(answer.headers['x-switchyard-model']).toBe(CHEAP);
  });
});

import express from 'express';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openAIErrorHandler, openAINotFound, openAIRouter } from '../src/index.js';
import { CHEAP, EMBEDDER, PREMIUM, postJson, serve, startRouter } from './support/serve.js';

const KEY = 'sk-sy-express-test-key';

describe('openAIRouter(): the OpenAI-compatible endpoints on Express', () => {
  it('serves chat completions, streamed and not, with the trace in headers and the cost in usage', async () => {
    const { mock, router } = await startRouter();
    mock.script(PREMIUM, [{ kind: 'error', status: 502 }]);
    const logs: unknown[] = [];
    const app = express();
    const v1 = openAIRouter({
      router,
      keys: [{ name: 'team', key: KEY }],
      onRequest: (entry) => logs.push(entry),
    });
    app.use('/v1', v1);
    const url = await serve(app);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });

    const { data, response } = await client.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(v1.open).toBe(false);
    expect(data.choices[0]?.message.content).toContain(`Mock reply from ${CHEAP}`);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));

    const stream = await client.chat.completions.create({
      model: 'default',
      stream: true,
      messages: [{ role: 'user', content: 'Stream' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain(`Mock reply from ${PREMIUM}`);

    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['default', 'smart', 'cheap', 'premium']),
    );
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatchObject({ key: 'team', route: 'default', model: CHEAP, attempts: 2, status: 200 });
  });

  it('serves embeddings to the openai SDK, and names a chat route that cannot serve them', async () => {
    const { router } = await startRouter();
    const app = express();
    app.use('/v1', openAIRouter({ router, keys: [{ name: 'team', key: KEY }] }));
    const url = await serve(app);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });

    const { data, response } = await client.embeddings
      .create({ model: 'embedder', input: ['a', 'b'], dimensions: 8 })
      .withResponse();
    expect(data.data.map((item) => item.embedding.length)).toEqual([8, 8]);
    expect(data.model).toBe(EMBEDDER);
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    const refused = await client.embeddings.create({ model: 'default', input: 'x' }).catch((error) => error);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    const wrongMethod = await fetch(`${url}/v1/embeddings`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('answers in OpenAI error shape: 401 without a key, 400 naming the field, 405 and 404', async () => {
    const { router } = await startRouter();
    const app = express();
    app.use('/v1', openAIRouter({ router, keys: [{ name: 'team', key: KEY }] }));
    app.use(openAINotFound());
    app.use(openAIErrorHandler());
    const url = await serve(app);

    const anonymous = await postJson(`${url}/v1/chat/completions`, { model: 'default', messages: [] });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');

    const invalid = await postJson(
      `${url}/v1/chat/completions`,
      { model: 'default', messages: [{ role: 'user', content: 'x' }], temperature: 7 },
      { authorization: `Bearer ${KEY}` },
    );
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: {
        message: 'temperature: must be a number from 0 to 2',
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        param: 'temperature',
      },
    });

    const wrongMethod = await fetch(`${url}/v1/models`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(((await wrongMethod.json()) as { error: { message: string } }).error.message).toBe(
      'DELETE /v1/models is not allowed; use GET',
    );

    const unknown = await fetch(`${url}/v1/rerank`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: 'no endpoint POST /v1/rerank',
        type: 'not_found_error',
        code: 'not_found',
        param: null,
      },
    });
  });

  it('is open and says so when no key is configured', async () => {
    const { router } = await startRouter();
    const app = express();
    const v1 = openAIRouter({ router });
    app.use('/v1', v1);
    const url = await serve(app);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'anything', maxRetries: 0 });
    expect(v1.open).toBe(true);
    const completion = await client.chat.completions.create({
      model: 'cheap',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.model).toBe(CHEAP);
  });

  it('serves models/{id} however the id is written, and CORS preflights through Express', async () => {
    const { router } = await startRouter({
      models: {
        cheap: { provider: 'mock', model: CHEAP },
        premium: { provider: 'mock', model: PREMIUM },
        [CHEAP]: { provider: 'mock', model: CHEAP },
      },
    });
    const app = express();
    app.use('/v1', openAIRouter({ router, cors: { origins: ['http://localhost:5173'] } }));
    app.use(openAINotFound());
    app.use(openAIErrorHandler());
    const url = await serve(app);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'anything', maxRetries: 0 });

    expect((await client.models.retrieve(CHEAP)).id).toBe(CHEAP);
    for (const path of [`/v1/models/${CHEAP}`, `/v1/Models/${encodeURIComponent(CHEAP)}?x=1`]) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
      expect(((await response.json()) as { id: string }).id).toBe(CHEAP);
    }
    const head = await fetch(`${url}/v1/models/default`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const wrong = await fetch(`${url}/v1/models/default`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');

    const preflight = await fetch(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    // An OPTIONS that is no preflight is still a wrong method.
    const options = await fetch(`${url}/v1/chat/completions`, { method: 'OPTIONS' });
    expect(options.status).toBe(405);
  });
});

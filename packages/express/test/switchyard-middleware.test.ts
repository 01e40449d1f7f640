import type { RoutingError } from '@switchyard/core';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAIErrorHandler, switchyard } from '../src/index.js';
import { CHEAP, EMBEDDER, PREMIUM, PROVIDER_KEY, postJson, serve, startRouter } from './support/serve.js';

const ask = (model: string, content: string) => ({ model, messages: [{ role: 'user' as const, content }] });

describe('switchyard() middleware: req.switchyard', () => {
  it('carries the caller into every call and puts the routing trace in x-switchyard-* headers', async () => {
    const { mock, router } = await startRouter();
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const app = express();
    app.use(
      switchyard({
        router,
        identify: (request) => ({ key: 'web', user: request.get('x-user-id'), tags: ['express'] }),
      }),
    );
    app.post('/hello', async (request, response) => {
      const { response: answer } = await request.switchyard.chat(ask('default', 'Say hello.'), {
        tags: ['greeting'],
      });
      response.json({ text: answer.choices[0]?.message.content, caller: request.switchyard.caller });
    });
    const url = await serve(app);

    const answer = await postJson(`${url}/hello`, {}, { 'x-user-id': 'ada' });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { text: string; caller: unknown };
    expect(body.text).toContain(`Mock reply from ${CHEAP}`);
    expect(body.caller).toEqual({ key: 'web', user: 'ada', tags: ['express'] });
    expect(answer.headers.get('x-switchyard-route')).toBe('default');
    expect(answer.headers.get('x-switchyard-model')).toBe(CHEAP);
    expect(answer.headers.get('x-switchyard-provider')).toBe('mock');
    expect(answer.headers.get('x-switchyard-attempts')).toBe('2');
    expect(answer.headers.get('x-switchyard-fallback')).toBe('true');
    const entries = await router.ledger.query({ user: 'ada' });
    expect(entries.map((entry) => entry.key)).toEqual(['web', 'web']);
    expect(entries[1]?.tags).toEqual(['express', 'greeting']);
  });

  it("routes a handler's call by the request's headers and the caller's tags (conditional routes)", async () => {
    const { router } = await startRouter({
      routes: {
        default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
        tiered: {
          strategy: 'conditional',
          rules: [
            { when: { 'header.x-tier': 'gold' }, target: 'premium' },
            { when: { 'caller.tags': 'vip' }, target: 'premium' },
          ],
          default: 'cheap',
        },
      },
    });
    const app = express();
    app.use(switchyard({ router, identify: (request) => ({ tags: request.get('x-vip') ? ['vip'] : [] }) }));
    app.post('/ask', async (request, response) => {
      const { trace } = await request.switchyard.chat(ask('tiered', 'Which tier?'));
      response.json({ rules: trace.rules });
    });
    const url = await serve(app);

    const gold = await postJson(`${url}/ask`, {}, { 'x-tier': 'gold' });
    expect(gold.headers.get('x-switchyard-model')).toBe(PREMIUM);
    expect(await gold.json()).toEqual({ rules: [{ route: 'tiered', rule: 0, target: 'premium' }] });
    const vip = await postJson(`${url}/ask`, {}, { 'x-vip': '1' });
    expect(await vip.json()).toEqual({ rules: [{ route: 'tiered', rule: 1, target: 'premium' }] });
    const plain = await postJson(`${url}/ask`, {});
    expect(plain.headers.get('x-switchyard-model')).toBe(CHEAP);
    expect(await plain.json()).toEqual({ rules: [{ route: 'tiered', rule: 'default', target: 'cheap' }] });
  });

  it('adds up attempts and cost over every call the handler made', async () => {
    const { router } = await startRouter();
    const app = express();
    app.use(switchyard({ router }));
    app.post('/twice', async (request, response) => {
      const first = await request.switchyard.chat(ask('cheap', 'One.'));
      const second = await request.switchyard.chat(ask('premium', 'Two.'));
      response.json({ costs: [first.trace.costUsd, second.trace.costUsd] });
    });
    const url = await serve(app);

    const answer = await postJson(`${url}/twice`, {});
    const { costs } = (await answer.json()) as { costs: [string, string] };
    expect(answer.headers.get('x-switchyard-attempts')).toBe('2');
    expect(answer.headers.get('x-switchyard-model')).toBe(PREMIUM);
    expect(Number(answer.headers.get('x-switchyard-cost'))).toBeCloseTo(
      Number(costs[0]) + Number(costs[1]),
      12,
    );
    expect(Number(costs[0])).toBeGreaterThan(0);
  });

  it('embeds through req.switchyard.embed, with the caller, its cost in the headers and the ledger', async () => {
    const { router } = await startRouter();
    const app = express();
    app.use(switchyard({ router, identify: () => ({ key: 'search', user: 'ada' }) }));
    app.post('/index', async (request, response) => {
      const texts = (request.body as { texts: string[] } | undefined)?.texts ?? ['one doc', 'two docs'];
      const { response: answer, trace } = await request.switchyard.embed({ model: 'embedder', input: texts });
      response.json({
        vectors: answer.data.length,
        dimensions: answer.data[0]?.embedding.length,
        cost: trace.costUsd,
      });
    });
    const url = await serve(app);

    const answer = await postJson(`${url}/index`, {});
    const body = (await answer.json()) as { vectors: number; dimensions: number; cost: string };
    expect(body).toMatchObject({ vectors: 2, dimensions: 1536 });
    expect(answer.headers.get('x-switchyard-model')).toBe(EMBEDDER);
    expect(answer.headers.get('x-switchyard-cost')).toBe(body.cost);
    expect(Number(body.cost)).toBeGreaterThan(0);
    const [entry] = await router.ledger.query({ operation: 'embeddings' });
    expect(entry).toMatchObject({ key: 'search', user: 'ada', model: EMBEDDER, costUsd: body.cost });
  });

  it('escalates a cascade when a zod schema rejects the cheap answer', async () => {
    const { mock, router } = await startRouter();
    mock.setReply(CHEAP, 'Sure, here is a title: Quarterly report');
    mock.setReply(PREMIUM, '{"title":"Quarterly report"}');
    const app = express();
    app.use(switchyard({ router }));
    app.post('/title', async (request, response) => {
      const { response: answer, trace } = await request.switchyard.chat(ask('smart', 'Title?'), {
        validate: [z.object({ title: z.string() })],
      });
      response.json({ title: answer.choices[0]?.message.content, escalated: trace.escalated });
    });
    const url = await serve(app);

    const answer = await postJson(`${url}/title`, {});
    expect(await answer.json()).toEqual({ title: '{"title":"Quarterly report"}', escalated: true });
    expect(answer.headers.get('x-switchyard-fallback')).toBe('true');
    expect(answer.headers.get('x-switchyard-model')).toBe(PREMIUM);
  });

  it('applies its budgets to every call: past the budget the error handler answers 402', async () => {
    const { mock, router } = await startRouter();
    mock.script(CHEAP, [{ kind: 'success', usage: { prompt_tokens: 500_000, completion_tokens: 10 } }]);
    const app = express();
    app.use(
      switchyard({
        router,
        identify: () => ({ user: 'bob' }),
        budgets: [{ scope: 'user', usd: '0.01', period: 'day', name: 'per-user daily' }],
      }),
    );
    app.post('/ask', async (request, response) => {
      const { response: answer } = await request.switchyard.chat({ ...ask('cheap', 'Hi.'), max_tokens: 20 });
      response.json({ text: answer.choices[0]?.message.content });
    });
    app.use(openAIErrorHandler());
    const url = await serve(app);

    expect((await postJson(`${url}/ask`, {})).status).toBe(200);
    const denied = await postJson(`${url}/ask`, {});
    expect(denied.status).toBe(402);
    const body = (await denied.json()) as { error: { code: string; message: string; type: string } };
    expect(body.error.code).toBe('budget_exceeded');
    expect(body.error.message).toContain('per-user daily');
    expect(denied.headers.get('x-switchyard-route')).toBe('cheap');
  });

  it("keeps the caller's provider policy on every call: a tenant that denies data collection is refused", async () => {
    const { router } = await startRouter();
    const app = express();
    app.use(
      switchyard({
        router,
        identify: (request) => ({ key: request.get('x-tenant') }),
        policy: (_request, caller) => (caller.key === 'eu' ? { data_collection: 'deny' } : { sort: 'price' }),
      }),
    );
    app.post('/ask', async (request, response) => {
      const { response: answer } = await request.switchyard.chat(ask('default', 'Hi.'), {
        policy: { order: ['meta-llama'] },
      });
      response.json({ text: answer.choices[0]?.message.content });
    });
    app.use(openAIErrorHandler());
    const url = await serve(app);

    expect((await postJson(`${url}/ask`, {}, { 'x-tenant': 'us' })).status).toBe(200);
    const [entry] = await router.ledger.query({ key: 'us' });
    expect(entry?.policy).toEqual({ sort: 'price', order: ['meta-llama'] });
    // The mock is no OpenRouter: it cannot promise data_collection: deny, so no target may serve.
    const refused = await postJson(`${url}/ask`, {}, { 'x-tenant': 'eu' });
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect({ status: refused.status, ...body.error }).toMatchObject({
      status: 404,
      code: 'not_supported',
      message:
        'no target can serve this request: premium: policy:data_collection; cheap: policy:data_collection',
    });
    expect(await router.ledger.query({ key: 'eu' })).toEqual([]);
  });

  it('aborts the upstream call when the client disconnects', async () => {
    const { mock, router } = await startRouter();
    mock.script(PREMIUM, [{ kind: 'stall' }]);
    const app = express();
    app.use(switchyard({ router }));
    let failure: unknown;
    app.post('/slow', async (request, response) => {
      try {
        await request.switchyard.chat(ask('premium', 'Take your time.'));
      } catch (error) {
        failure = error;
      }
      response.end();
    });
    const url = await serve(app);

    const controller = new AbortController();
    const pending = fetch(`${url}/slow`, { method: 'POST', signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
    await expect.poll(() => (failure as RoutingError | undefined)?.code).toBe('aborted');
  });

  it('never shows the provider key, even when the upstream echoes it', async () => {
    const { mock, router } = await startRouter();
    mock.script(PREMIUM, [{ kind: 'error', status: 400, message: `bad key ${PROVIDER_KEY}` }]);
    const app = express();
    app.use(switchyard({ router }));
    app.post('/ask', async (request, response) => {
      response.json(await request.switchyard.chat(ask('premium', 'Hi.')));
    });
    app.use(openAIErrorHandler());
    const url = await serve(app);

    const answer = await postJson(`${url}/ask`, {});
    expect(answer.status).toBe(400);
    const text = await answer.text();
    expect(text).toContain('invalid_request');
    expect(text).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify([...answer.headers])).not.toContain(PROVIDER_KEY);
  });
});

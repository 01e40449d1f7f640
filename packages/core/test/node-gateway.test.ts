import { request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createGateway, type GatewayRequestLog } from '../src/node/index.js';
import { ask, PROVIDER_KEY, startFixture } from './support/fixture.js';
import { serveGateway } from './support/serve-gateway.js';

const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const GATEWAY_KEY = 'sy-test-gateway-key-0001';
const TIGHT_KEY = 'sy-test-gateway-key-0002';
/** A plain node:http server that serves the gateway: the bridge without any framework. */
async function startGateway(options: { keys?: boolean } = {}) {
  const fixture = await startFixture({
    config: () => ({
      models: {
        premium: {
          provider: 'mock',
          model: PREMIUM,
          pricing: { prompt: '0.000003', completion: '0.000015' },
        },
        cheap: { provider: 'mock', model: CHEAP, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
      },
      routes: { default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] } },
    }),
  });
  const logs: GatewayRequestLog[] = [];
  const gateway = createGateway({
    router: fixture.router,
    ...(options.keys === false
      ? {}
      : {
          keys: [
            { name: 'team-a', key: GATEWAY_KEY, routes: ['default', 'cheap'] },
            { name: 'team-tight', key: TIGHT_KEY, budget: { usd: '0.00002', period: 'day' as const } },
          ],
        }),
    bodyLimitBytes: 64 * 1024,
    onRequest: (entry) => logs.push(entry),
  });
  const url = await serveGateway(gateway);
  const client = new OpenAI({ baseURL: url, apiKey: GATEWAY_KEY, maxRetries: 0 });
  return { ...fixture, url, client, logs };
}

describe('the Node gateway bridge', () => {
  it('answers the openai SDK with the served model, trace headers and the whole cost', async () => {
    const { client, mock, logs } = await startGateway();
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const { data, response } = await client.chat.completions.create(ask('default', 'Hello')).withResponse();
    expect(data.model).toBe(CHEAP);
    expect(response.headers.get('x-switchyard-route')).toBe('default');
    expect(response.headers.get('x-switchyard-model')).toBe(CHEAP);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect((data.usage as { cost?: number }).cost).toBe(Number(response.headers.get('x-switchyard-cost')));
    expect(logs.at(-1)).toMatchObject({
      status: 200,
      key: 'team-a',
      route: 'default',
      model: CHEAP,
      attempts: 2,
      fallback: true,
    });
  });

  it('streams through the SDK and puts the whole cost in the last usage chunk', async () => {
    const { client, mock } = await startGateway();
    mock.setReply(CHEAP, 'One two three.');
    const stream = await client.chat.completions.create({ ...ask('cheap'), stream: true });
    let text = '';
    let cost: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      cost = (chunk.usage as { cost?: number } | undefined)?.cost ?? cost;
    }
    expect(text).toBe('One two three.');
    expect(cost).toBeGreaterThan(0);
  });

  it('sends a mid-stream failure as an error event the SDK raises', async () => {
    const { client, mock } = await startGateway();
    mock.setReply(CHEAP, 'Alpha beta gamma delta epsilon.');
    mock.script(CHEAP, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const stream = await client.chat.completions.create({ ...ask('cheap'), stream: true });
    const read = async () => {
      for await (const _chunk of stream) {
        // consume until the error event
      }
    };
    await expect(read()).rejects.toThrow(/stream interrupted after it began/);
  });

  it('aborts the upstream call when the client disconnects', async () => {
    const { client, mock } = await startGateway();
    mock.script(CHEAP, [{ kind: 'stall' }]);
    const controller = new AbortController();
    const answer = client.chat.completions.create(ask('cheap'), { signal: controller.signal });
    // Disconnect once the upstream has the request (not after a guessed delay).
    await mock.waitForRequests(1);
    controller.abort();
    await expect(answer).rejects.toThrow();
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
  });

  it.each([
    {
      name: 'a missing key',
      headers: { authorization: '' },
      body: JSON.stringify(ask('cheap')),
      status: 401,
      code: 'missing_api_key',
      param: null,
    },
    {
      name: 'a wrong key',
      headers: { authorization: 'Bearer nope-nope-nope' },
      body: JSON.stringify(ask('cheap')),
      status: 401,
      code: 'invalid_api_key',
      param: null,
    },
    { name: 'bad JSON', headers: {}, body: '{"model": ', status: 400, code: 'invalid_json', param: null },
    {
      name: 'a missing model',
      headers: {},
      body: JSON.stringify({ messages: [] }),
      status: 400,
      code: 'invalid_parameter',
      param: 'model',
    },
    {
      name: 'bad max_tokens',
      headers: {},
      body: JSON.stringify(ask('cheap', 'x', { max_tokens: -1 })),
      status: 400,
      code: 'invalid_parameter',
      param: 'max_tokens',
    },
    {
      name: 'a route the key may not use',
      headers: {},
      body: JSON.stringify(ask('premium')),
      status: 403,
      code: 'route_not_allowed',
      param: 'model',
    },
    {
      name: 'an oversized body',
      headers: {},
      body: JSON.stringify(ask('cheap', 'x'.repeat(70_000))),
      status: 413,
      code: 'body_too_large',
      param: null,
    },
  ])('answers $name with $status in OpenAI error shape', async ({ headers, body, status, code, param }) => {
    const { url } = await startGateway();
    const response = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}`, ...headers },
      body,
    });
    expect(response.status).toBe(status);
    // Refused before routing: nothing attempted, nothing spent, and the headers say so.
    expect([
      response.headers.get('x-switchyard-attempts'),
      response.headers.get('x-switchyard-cost'),
    ]).toEqual(['0', '0']);
    const json = (await response.json()) as {
      error: { message: string; code: string; param: string | null; type: string };
    };
    expect(json.error).toMatchObject({ code, param });
    expect(json.error.message.length).toBeGreaterThan(5);
  });

  it('reads a body sent in chunks, a character split across two of them, and answers 413 past the limit without Content-Length', async () => {
    const { url, logs } = await startGateway();
    /** Posts `parts` as a chunked body (no Content-Length), one write per part. */
    const postChunked = (parts: readonly Buffer[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const target = new URL(`${url}/chat/completions`);
        const request = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}` },
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              body += chunk;
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
        for (const part of parts) request.write(part);
        request.end();
      });
    const json = Buffer.from(JSON.stringify(ask('cheap', 'Grüße ✓')));
    const split = json.indexOf(Buffer.from('✓')) + 1;
    const answered = await postChunked([json.subarray(0, split), json.subarray(split)]);
    expect(answered.status).toBe(200);
    expect(logs.at(-1)).toMatchObject({ status: 200, route: 'cheap' });

    const big = Buffer.from(JSON.stringify(ask('cheap', 'x'.repeat(40_000))));
    const refused = await postChunked([big, big]);
    expect(refused.status).toBe(413);
    expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe('body_too_large');
  });

  it('maps router errors: unknown model 404, budget 402, all targets failing 502, never leaking a key', async () => {
    const { url, mock, client } = await startGateway({ keys: false });
    const post = (body: unknown) =>
      fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const unknown = await post(ask('nope'));
    expect(unknown.status).toBe(404);
    mock.script(PREMIUM, [{ kind: 'error', status: 502, message: `bad key ${PROVIDER_KEY}` }]);
    mock.script(CHEAP, [{ kind: 'error', status: 503, times: 3 }]);
    const failed = await post(ask('default'));
    const failedText = await failed.text();
    expect(failed.status).toBe(502);
    expect(failedText).toMatch(
      /all \d attempts failed: premium: upstream_unavailable \(HTTP 502\); cheap: upstream_unavailable \(HTTP 503\)/,
    );
    expect(failedText).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify([...failed.headers])).not.toContain(PROVIDER_KEY);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(['cheap', 'default', 'premium']);
  });

  it('enforces the key budget with 402', async () => {
    const { url } = await startGateway();
    const client = new OpenAI({ baseURL: url, apiKey: TIGHT_KEY, maxRetries: 0 });
    const error = await client.chat.completions
      .create(ask('cheap', 'hi', { max_tokens: 500 }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as Error).message).toContain('budget "key team-tight"');
    const headers = (error as InstanceType<typeof OpenAI.APIError>).headers;
    expect(headers?.get('x-switchyard-skipped')).toBe('cheap:budget');
  });
});

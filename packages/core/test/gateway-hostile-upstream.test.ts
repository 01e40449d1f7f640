import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchyardConfig } from '../src/config/config-types.js';
import { createGateway, type GatewayRequestLog } from '../src/node/index.js';
import { createRouter } from '../src/router/create-router.js';
import {
  type Behaviour,
  completion,
  contentEvent,
  pump,
  startMisbehavingUpstream,
} from './support/misbehaving-upstream.js';

/** A provider key with characters that URL-encoding and base64 change. */
const KEY = 'or-v1+fixture/secret=5f8e2a9c1b7d4e6f';

const servers: Server[] = [];
const routers: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const server of servers.splice(0)) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await Promise.all(routers.splice(0).map((router) => router.close()));
});

/** The key as the upstream got it, from its `Authorization: Bearer` header. */
const keyOf = (authorization: string | undefined): string => (authorization ?? '').replace(/^Bearer /, '');

/** Every form of a key an upstream may echo: whole, its last 12 characters, encoded. */
function echoedForms(key: string): Record<string, string> {
  return {
    raw: key,
    last12: key.slice(-12),
    last8: key.slice(-8),
    base64: Buffer.from(key).toString('base64'),
    base64url: Buffer.from(key).toString('base64url'),
    basic: Buffer.from(`user:${key}`).toString('base64'),
    urlEncoded: encodeURIComponent(key),
  };
}

const echoText = (key: string): string =>
  Object.entries(echoedForms(key))
    .map(([name, form]) => `${name}: ${form}`)
    .join(', ');

/** Upstream answers that echo the key they were sent, in every form, in errors and in answers. */
const ECHOES: Record<string, Behaviour> = {
  'test/json-error': (response, call) => {
    response.writeHead(401, { 'content-type': 'application/json' });
    const key = keyOf(call.authorization);
    response.end(
      JSON.stringify({
        error: { code: 401, message: `bad key: ${echoText(key)}`, metadata: { raw: echoText(key) } },
      }),
    );
  },
  'test/text-error': (response, call) => {
    response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(`gateway trouble for ${echoText(keyOf(call.authorization))}`);
  },
  'test/answer': (response, call) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(completion(`Your key: ${echoText(keyOf(call.authorization))}`));
  },
  'test/stream': (response, call) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const finish = {
      id: 'gen-misbehaving',
      object: 'chat.completion.chunk',
      created: 1_763_157_299,
      model: 'test/model',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
    };
    response.end(
      `${contentEvent('Your key: ')}${contentEvent(echoText(keyOf(call.authorization)))}data: ${JSON.stringify(finish)}\n\ndata: [DONE]\n\n`,
    );
  },
  'test/endless': (response, call) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    pump(response, call, () => contentEvent('more '));
  },
};

async function startGateway(config: Omit<SwitchyardConfig, 'providers' | 'models'> = {}) {
  const upstream = await startMisbehavingUpstream(ECHOES);
  const router = createRouter({
    config: {
      providers: { hostile: { baseURL: upstream.baseURL, apiKey: KEY } },
      models: Object.fromEntries(
        Object.keys(ECHOES).map((model) => [model.slice('test/'.length), { provider: 'hostile', model }]),
      ),
      breaker: false,
      retry: { maxAttempts: 1 },
      ...config,
    },
  });
  routers.push(router);
  const logs: GatewayRequestLog[] = [];
  const gateway = createGateway({ router, onRequest: (entry) => logs.push(entry) });
  const server = createServer((request, response) => {
    void gateway.handle(request, response, (request.url ?? '').slice('/v1'.length));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  const post = async (body: object): Promise<{ status: number; text: string; headers: string }> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      text: await response.text(),
      headers: JSON.stringify([...response.headers]),
    };
  };
  return { post, logs, upstream };
}

const ask = (model: string, extra: object = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Echo my key.' }],
  ...extra,
});

describe('a provider key echoed by the upstream', () => {
  it.each([
    { from: 'a JSON error body', model: 'json-error', stream: false, status: 502 },
    { from: 'a plain-text error body', model: 'text-error', stream: false, status: 502 },
    { from: 'an answer', model: 'answer', stream: false, status: 200 },
    { from: 'a streamed answer', model: 'stream', stream: true, status: 200 },
  ])('never reaches the client or the log from $from, in any form', async ({ model, stream, status }) => {
    const { post, logs, upstream } = await startGateway();
    const answer = await post(ask(model, { stream }));
    expect(answer.status).toBe(status);
    expect(upstream.calls.map((call) => keyOf(call.authorization))).toEqual([KEY]);
    // The upstream did echo it; the client sees each form redacted.
    expect(answer.text).toContain('raw: [redacted], last12: [redacted]');
    expect(answer.text).toContain('urlEncoded: [redacted]');
    const seen = `${answer.text}${answer.headers}${JSON.stringify(logs)}`;
    for (const [form, text] of Object.entries(echoedForms(KEY))) {
      expect(seen.includes(text), `the ${form} form (${text}) leaked`).toBe(false);
    }
  });
});

describe('an upstream past its limits, over HTTP', () => {
  it('ends the SSE answer with an upstream_too_large error event after streaming began', async () => {
    const { post, logs, upstream } = await startGateway({ upstreamLimits: { maxStreamBytes: 64 * 1024 } });
    const answer = await post(ask('endless', { stream: true }));
    expect(answer.status).toBe(200);
    const events = answer.text.trim().split('\n\n');
    expect(events.length).toBeGreaterThan(50);
    expect(events.slice(0, -1).every((event) => event.includes('"content":"more "'))).toBe(true);
    expect(JSON.parse((events.at(-1) as string).slice('data: '.length))).toEqual({
      error: {
        code: 'upstream_too_large',
        type: 'api_error',
        param: null,
        message: expect.stringContaining(
          'sent a stream larger than 65536 bytes (upstreamLimits.maxStreamBytes)',
        ),
      },
    });
    expect(answer.text).not.toContain('[DONE]');
    expect(await upstream.calls[0]?.closed).toEqual({ finished: false });
    expect(logs.map((entry) => [entry.status, entry.error])).toEqual([[200, 'upstream_too_large']]);
  });
});

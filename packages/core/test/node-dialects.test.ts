import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, type GatewayRequestLog } from '../src/node/index.js';
import { summarizeSpend } from '../src/spend/spend-ledger.js';
import { ask, startFixture } from './support/fixture.js';

const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const GATEWAY_KEY = 'sy-test-dialect-key-0001';
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The bridge on plain node:http, with a fallback route and a JSON cascade. */
async function startGateway() {
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
      routes: {
        default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] },
        smart: { strategy: 'cascade' as const, targets: ['cheap', 'premium'], validate: { json: true } },
      },
    }),
  });
  const logs: GatewayRequestLog[] = [];
  const gateway = createGateway({
    router: fixture.router,
    keys: [{ name: 'team-a', key: GATEWAY_KEY }],
    onRequest: (entry) => logs.push(entry),
  });
  const server = createServer((request, response) => {
    const path = request.url?.startsWith('/v1/') === true ? request.url.slice('/v1'.length) : '';
    void gateway.handle(request, response, path).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const client = new OpenAI({ baseURL: url, apiKey: GATEWAY_KEY, maxRetries: 0 });
  const messages = (body: Record<string, unknown>, signal?: AbortSignal) =>
    fetch(`${url}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': GATEWAY_KEY,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal }),
    });
  return { ...fixture, url, client, logs, messages };
}

/** The `event:` names of an SSE body, in order. */
const eventNames = (text: string): string[] =>
  [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1] as string);

describe('the dialect doors of the Node bridge', () => {
  it('records the door on every ledger entry, trace and log line, the money added up once', async () => {
    const { client, router, logs, messages, mock } = await startGateway();
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const chat = await client.chat.completions.create(ask('default', 'one')).withResponse();
    await client.responses.create({ model: 'cheap', input: 'two' });
    const answer = await messages({
      model: 'cheap',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'three' }],
    });
    expect(answer.status).toBe(200);

    const chatEntries = await router.ledger.query({ door: 'chat' });
    expect(chatEntries.map((entry) => [entry.target, entry.outcome])).toEqual([
      ['premium', 'upstream_unavailable'],
      ['cheap', 'success'],
    ]);
    expect(
      chatEntries.every((entry) => entry.requestId === chat.response.headers.get('x-switchyard-request-id')),
    ).toBe(true);
    expect(await router.ledger.query({ door: 'responses' })).toMatchObject([
      { target: 'cheap', outcome: 'success', key: 'team-a' },
    ]);
    const [messagesEntry] = await router.ledger.query({ door: 'messages' });
    expect(messagesEntry).toMatchObject({ target: 'cheap', outcome: 'success', key: 'team-a' });
    expect(messagesEntry?.costUsd).toBe(answer.headers.get('x-switchyard-cost'));
    expect((await router.ledger.query()).map((entry) => entry.door)).toEqual([
      'chat',
      'chat',
      'responses',
      'messages',
    ]);
    expect(logs.map((line) => [line.path, line.door])).toEqual([
      ['/v1/chat/completions', 'chat'],
      ['/v1/responses', 'responses'],
      ['/v1/messages', 'messages'],
    ]);
  });

  it('validates a streamed Responses call before its first event: the cascade escalates, billed twice', async () => {
    const { client, mock, router } = await startGateway();
    mock.setReply(CHEAP, 'Sure! Here is no JSON.');
    mock.setReply(PREMIUM, '{"ok":true}');
    const { data: stream, response } = await client.responses
      .create({ model: 'smart', input: 'JSON, please.', stream: true })
      .withResponse();
    let text = '';
    let cost: number | undefined;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed')
        cost = (event.response.usage as { cost?: number } | undefined)?.cost;
    }
    expect(text).toBe('{"ok":true}');
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    // The last event holds the whole cost: the rejected cheap answer and the premium one, as the ledger has them.
    const entries = await router.ledger.query({ door: 'responses' });
    expect(entries.map((entry) => [entry.target, entry.outcome])).toEqual([
      ['cheap', 'bad_output'],
      ['premium', 'success'],
    ]);
    expect(cost).toBe(Number(summarizeSpend(entries).costUsd));
    expect(cost).toBeGreaterThan(Number(entries[1]?.costUsd));
  });

  it('ends a Messages stream broken mid-way with an error event and no message_stop', async () => {
    const { messages, mock } = await startGateway();
    mock.setReply(CHEAP, 'Alpha beta gamma delta epsilon.');
    mock.script(CHEAP, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const response = await messages({
      model: 'cheap',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'Go' }],
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const names = eventNames(text);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names).toContain('content_block_delta');
    expect(names.at(-1)).toBe('error');
    expect(names).not.toContain('message_stop');
    expect(text).toContain('"type":"api_error"');
  });

  it('aborts the upstream call when a Responses or Messages streaming client disconnects', async () => {
    const { client, messages, mock } = await startGateway();
    mock.script(CHEAP, [{ kind: 'stall', afterChunks: 2, times: 2 }]);
    const stream = await client.responses.create({ model: 'cheap', input: 'A long story.', stream: true });
    for await (const event of stream) if (event.type === 'response.output_text.delta') break;

    const controller = new AbortController();
    const response = await messages(
      { model: 'cheap', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Another.' }] },
      controller.signal,
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await mock.waitForSettled({ timeoutMs: 5_000 });
    expect(mock.requests.map((request) => request.aborted)).toEqual([true, true]);
  });

  it("counts tokens for /messages/count_tokens without calling upstream, errors in Anthropic's shape", async () => {
    const { url, mock, router } = await startGateway();
    const count = (body: unknown, key = GATEWAY_KEY) =>
      fetch(`${url}/messages/count_tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify(body),
      });
    const counted = await count({
      model: 'cheap',
      messages: [{ role: 'user', content: 'Hello there, how are you?' }],
    });
    expect(counted.status).toBe(200);
    const { input_tokens } = (await counted.json()) as { input_tokens: number };
    expect(input_tokens).toBeGreaterThan(4);
    expect(mock.requests).toHaveLength(0);
    expect(await router.ledger.query()).toEqual([]);

    const refused = await count({ model: 'cheap', messages: [] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages: required: a non-empty array of messages' },
      request_id: null,
    });
    const wrong = await count({ model: 'cheap', messages: [{ role: 'user', content: 'x' }] }, 'nope');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
  });
});

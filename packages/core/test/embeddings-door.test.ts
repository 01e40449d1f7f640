import { DEFAULT_MOCK_MODELS, embeddingVector } from '@switchyard/mock-upstream';
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { decodeEmbedding } from '../src/embeddings/embedding-encoding.js';
import { createGateway, type GatewayRequestLog } from '../src/node/index.js';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import { PROVIDER_KEY, startFixture } from './support/fixture.js';
import { serveGateway } from './support/serve-gateway.js';

const SMALL = 'openai/text-embedding-3-small';
const LARGE = 'openai/text-embedding-3-large';
const SMALL_PRICE = '0.00000002';
const KEY = 'sy-test-embed-key-0001';
const NARROW_KEY = 'sy-test-embed-key-0002';
const POOR_KEY = 'sy-test-embed-key-0003';
/** The bridge on a plain node:http server, a router over the mock with two embedding models. */
async function startGateway() {
  const fixture = await startFixture({
    config: () => ({
      models: {
        large: { provider: 'mock', model: LARGE },
        small: { provider: 'mock', model: SMALL, pricing: { prompt: SMALL_PRICE } },
        chat: { provider: 'mock', model: 'meta-llama/llama-3.3-70b-instruct' },
      },
      routes: {
        embed: { strategy: 'fallback' as const, targets: ['large', 'small'] },
        mixed: { strategy: 'fallback' as const, targets: ['chat', 'small'] },
      },
    }),
    router: { catalog: DEFAULT_MOCK_MODELS },
  });
  const logs: GatewayRequestLog[] = [];
  const gateway = createGateway({
    router: fixture.router,
    keys: [
      { name: 'team-a', key: KEY },
      { name: 'narrow', key: NARROW_KEY, routes: ['small'] },
      { name: 'poor', key: POOR_KEY, budget: { usd: '0.0000001', period: 'day' } },
    ],
    onRequest: (entry) => logs.push(entry),
  });
  const url = await serveGateway(gateway);
  const client = (apiKey = KEY) => new OpenAI({ baseURL: url, apiKey, maxRetries: 0 });
  const post = (body: unknown, apiKey = KEY) =>
    fetch(`${url}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });
  return { ...fixture, url, client, post, logs };
}

describe('POST /v1/embeddings on the Node bridge', () => {
  it('answers the openai SDK (base64 by default, decoded by the SDK), with the trace and the exact cost', async () => {
    const { client, mock, logs } = await startGateway();
    const input = ['the cat sat', 'on the mat'];
    const { data, response } = await client().embeddings.create({ model: 'small', input }).withResponse();
    expect(mock.requests[0]?.body).toMatchObject({ model: SMALL, encoding_format: 'base64' });
    expect(data.data.map((item) => item.embedding)).toEqual(input.map((text) => embeddingVector(text, 1536)));
    expect(data.model).toBe(SMALL);
    const tokens = input.reduce((sum, text) => sum + countTokens(text), 0);
    const cost = formatUsd(BigInt(tokens) * parseUsd(SMALL_PRICE));
    expect(response.headers.get('x-switchyard-cost')).toBe(cost);
    expect(data.usage).toEqual({
      prompt_tokens: tokens,
      total_tokens: tokens,
      cost: Number(cost),
      is_byok: false,
    });
    expect(response.headers.get('x-switchyard-route')).toBe('small');
    expect(response.headers.get('x-switchyard-model')).toBe(SMALL);
    expect(logs.at(-1)).toMatchObject({ path: '/v1/embeddings', status: 200, key: 'team-a', model: SMALL });
  });

  it('converts: floats to base64 when the upstream ignored the request, base64 to floats when asked', async () => {
    const { mock, post } = await startGateway();
    mock.script(SMALL, [{ kind: 'success', encodingFormat: 'float' }]);
    const asked = await post({ model: 'small', input: 'convert me', encoding_format: 'base64' });
    const base64 = (await asked.json()) as { data: Array<{ embedding: string }> };
    expect(typeof base64.data[0]?.embedding).toBe('string');
    expect(decodeEmbedding(base64.data[0]?.embedding as string)).toEqual(embeddingVector('convert me', 1536));

    mock.script(SMALL, [{ kind: 'success', encodingFormat: 'base64' }]);
    const floats = (await (await post({ model: 'small', input: 'convert me' })).json()) as {
      data: Array<{ embedding: number[] }>;
    };
    expect(floats.data[0]?.embedding).toEqual(embeddingVector('convert me', 1536));
  });

  it('falls back on a 503 and shows it in the trace headers, skipping a chat model on the way', async () => {
    const { client, mock } = await startGateway();
    mock.script(LARGE, [{ kind: 'error', status: 503 }]);
    const { data, response } = await client()
      .embeddings.create({ model: 'embed', input: 'fall back', encoding_format: 'float', dimensions: 32 })
      .withResponse();
    expect(data.model).toBe(SMALL);
    expect(data.data[0]?.embedding).toHaveLength(32);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');

    const mixed = await client().embeddings.create({ model: 'mixed', input: 'skip' }).withResponse();
    expect(mixed.response.headers.get('x-switchyard-skipped')).toBe('chat:chat_only');
  });

  it('answers errors in OpenAI’s shape: bad fields 400 naming them, keys 401/403, budgets 402, wrong routes 400', async () => {
    const { post, mock } = await startGateway();
    const cases: Array<[unknown, string, string]> = [
      [{ input: 'x' }, 'model', 'model: required'],
      [{ model: 'small' }, 'input', 'input: required'],
      [
        { model: 'small', input: ['a', ''] },
        'input[1]',
        'input[1]: must be a non-empty string, as input[0] is',
      ],
      [
        {
          model: 'small',
          input: [
            [1, 2],
            [3, -1],
          ],
        },
        'input[1]',
        'input[1]: must be a non-empty array of token ids',
      ],
      [
        { model: 'small', input: 'x', dimensions: 1.5 },
        'dimensions',
        'dimensions: must be a positive integer',
      ],
      [{ model: 'small', input: 'x', encoding_format: 'hex' }, 'encoding_format', 'encoding_format: must be'],
      [{ model: 'small', input: Array(2049).fill('x') }, 'input', 'input: must hold at most 2048 inputs'],
    ];
    for (const [body, param, message] of cases) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: Record<string, unknown> };
      expect(error).toMatchObject({ code: 'invalid_parameter', param, type: 'invalid_request_error' });
      expect(error.message).toContain(message);
    }
    const unknownKey = await post({ model: 'small', input: 'x' }, 'sy-not-a-key-at-all');
    expect(unknownKey.status).toBe(401);
    const narrow = await post({ model: 'embed', input: 'x' }, NARROW_KEY);
    expect(narrow.status).toBe(403);
    expect(((await narrow.json()) as { error: { message: string } }).error.message).toBe(
      'key "narrow" may not use "embed"',
    );
    const chatRoute = await post({ model: 'chat', input: 'x' });
    expect(chatRoute.status).toBe(400);
    expect(((await chatRoute.json()) as { error: { message: string } }).error.message).toBe(
      '"chat" serves no embeddings: its targets are chat models (chat: chat_only)',
    );
    // The poor key's budget holds a few tokens; a long input is over it before any call.
    const poor = await post({ model: 'small', input: 'word '.repeat(200) }, POOR_KEY);
    expect(poor.status).toBe(402);
    expect(((await poor.json()) as { error: { code: string } }).error.code).toBe('budget_exceeded');
    expect(mock.requests).toHaveLength(0);
  });

  it('never shows the provider key', async () => {
    const { post, mock } = await startGateway();
    mock.script(SMALL, [{ kind: 'error', status: 401 }]);
    const text = await (await post({ model: 'small', input: 'x' })).text();
    expect(text).not.toContain(PROVIDER_KEY);
  });
});

import { OpenAIEmbeddings } from '@langchain/openai';
import { decodeEmbedding, formatUsd, parseUsd, percentOf } from '@switchyard/core';
import { embeddingVector } from '@switchyard/mock-upstream';
import { EMBEDDINGS_SCHEMAS } from '@switchyard/spec-oracle';
import { expect, it } from 'vitest';
import { EMBEDDING_PRICES, GATEWAY_KEYS, MODELS } from './suite-config.js';
import { type ErrorBody, openAIClient, type SuiteContext, send } from './suite-context.js';

const EMBEDDINGS = '/embeddings';
/** OpenRouter's fee on the `alpha` provider, where `embed-small` runs. */
const ALPHA_FEE = '5.5';

/** USD of `tokens` input tokens at `price`, plus a provider fee in percent: exact. */
const costOf = (tokens: number, price: string, feePercent?: string): string => {
  const tokenCost = BigInt(tokens) * parseUsd(price);
  return formatUsd(tokenCost + (feePercent === undefined ? 0n : percentOf(tokenCost, feePercent)));
};

const usageCost = (usage: unknown): number | undefined => (usage as { cost?: number } | undefined)?.cost;

interface EmbeddingsBody {
  object: string;
  model: string;
  data: Array<{ object: string; index: number; embedding: number[] | string }>;
  usage: { prompt_tokens: number; total_tokens: number; cost: number };
}

/** `POST /v1/embeddings` as OpenAI's clients use it, on every gateway app. */
export function defineEmbeddingsTests(context: SuiteContext): void {
  it('answers the openai SDK (base64 by default, which it decodes) with the trace and the exact cost', async () => {
    const text = 'Switchyard routes embeddings as it routes chats';
    const { data, response } = await openAIClient(context)
      .embeddings.create({ model: 'embed', input: text })
      .withResponse();

    expect(context.mock.requests.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    expect(data.model).toBe(MODELS.embedLarge);
    expect(data.data[0]?.embedding).toEqual(embeddingVector(text, 3072));
    expect(response.headers.get('x-switchyard-route')).toBe('embed');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.embedLarge);
    expect(response.headers.get('x-switchyard-provider')).toBe('beta');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-switchyard-fallback')).toBe('false');
    const cost = costOf(data.usage.prompt_tokens, EMBEDDING_PRICES.large);
    expect(response.headers.get('x-switchyard-cost')).toBe(cost);
    expect(usageCost(data.usage)).toBe(Number(cost));
    const requestId = response.headers.get('x-switchyard-request-id') as string;
    await expect.poll(() => context.gateway.logs.some((line) => line.includes(requestId))).toBe(true);
  });

  it('embeds an array in order, as floats, honouring dimensions, in the shape of OpenRouter’s schema', async () => {
    const input = ['first text', 'second text', 'third text'];
    const client = openAIClient(context);
    const answer = await client.embeddings.create({
      model: 'embed-small',
      input,
      dimensions: 256,
      encoding_format: 'float',
    });
    expect(answer.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(answer.data.map((item) => item.embedding)).toEqual(
      input.map((text) => embeddingVector(text, 256)),
    );

    const raw = await send(context, {
      path: EMBEDDINGS,
      body: { model: 'embed-small', input, encoding_format: 'float' },
    });
    const body = (await raw.json()) as EmbeddingsBody;
    const { valid, errors } = context.oracle.validate(EMBEDDINGS_SCHEMAS.response, body);
    expect(valid, errors).toBe(true);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens);
    expect(raw.headers.get('x-switchyard-cost')).toBe(
      costOf(body.usage.prompt_tokens, EMBEDDING_PRICES.small, ALPHA_FEE),
    );
  });

  it('sends base64 when asked, encoding itself when the upstream answered floats', async () => {
    context.mock.script(MODELS.embedLarge, [{ kind: 'success', encodingFormat: 'float' }]);
    const response = await send(context, {
      path: EMBEDDINGS,
      body: { model: 'embed', input: ['encode me'], encoding_format: 'base64' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as EmbeddingsBody;
    const embedding = body.data[0]?.embedding;
    expect(typeof embedding).toBe('string');
    expect(Buffer.from(embedding as string, 'base64')).toHaveLength(3072 * 4);
    expect(decodeEmbedding(embedding as string)).toEqual(embeddingVector('encode me', 3072));
  });

  it('falls back on a 503 to the other provider, and shows it in the headers and usage.cost', async () => {
    context.mock.script(MODELS.embedLarge, [{ kind: 'error', status: 503 }]);
    const { data, response } = await openAIClient(context)
      .embeddings.create({ model: 'embed', input: 'fall back, please' })
      .withResponse();
    expect(data.model).toBe(MODELS.embedSmall);
    expect(data.data[0]?.embedding).toEqual(embeddingVector('fall back, please', 1536));
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-provider')).toBe('alpha');
    // The failed attempt cost nothing; the request costs the served one, fee included.
    const cost = costOf(data.usage.prompt_tokens, EMBEDDING_PRICES.small, ALPHA_FEE);
    expect(response.headers.get('x-switchyard-cost')).toBe(cost);
    expect(usageCost(data.usage)).toBe(Number(cost));
  });

  it('skips a chat-only target (x-switchyard-skipped), and a route of chat models is a 400 naming it', async () => {
    const { data, response } = await openAIClient(context)
      .embeddings.create({ model: 'hybrid', input: 'skip the chat model' })
      .withResponse();
    expect(data.model).toBe(MODELS.embedSmall);
    expect(response.headers.get('x-switchyard-skipped')).toBe('cheap:chat_only');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');

    const refused = await send(context, { path: EMBEDDINGS, body: { model: 'default', input: 'x' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorBody).error).toEqual({
      message:
        '"default" serves no embeddings: its targets are chat models (premium: chat_only; cheap: chat_only)',
      type: 'invalid_request_error',
      code: 'invalid_request',
      param: null,
    });
    // And the reverse: an embedding route asked for a chat.
    const chat = await send(context, {
      path: '/chat/completions',
      body: { model: 'embed', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(chat.status).toBe(400);
    expect(((await chat.json()) as ErrorBody).error.message).toContain('"embed" serves no chat completions');
    expect(context.mock.requests.filter((request) => request.model === MODELS.cheap)).toHaveLength(0);
  });

  it('402 once the key has spent its budget on embeddings', async () => {
    const client = openAIClient(context, GATEWAY_KEYS.frugal);
    // One expensive answer: a million input tokens at $0.02/M plus the 5.5% fee is over the $0.01 budget.
    context.mock.script(MODELS.embedSmall, [{ kind: 'success', usage: { prompt_tokens: 1_000_000 } }]);
    const { response } = await client.embeddings
      .create({ model: 'embed-small', input: 'spend' })
      .withResponse();
    expect(response.headers.get('x-switchyard-cost')).toBe(
      costOf(1_000_000, EMBEDDING_PRICES.small, ALPHA_FEE),
    );

    const refused = await send(context, {
      path: EMBEDDINGS,
      body: { model: 'embed-small', input: 'once more' },
      key: GATEWAY_KEYS.frugal,
    });
    expect(refused.status).toBe(402);
    const { error } = (await refused.json()) as ErrorBody;
    expect(error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    expect(error.message).toContain('frugal');
    expect(context.mock.requests).toHaveLength(1);
  });

  it('403 for a route the key may not use, 401 without a key, 400 naming the bad field', async () => {
    const forbidden = await send(context, {
      path: EMBEDDINGS,
      body: { model: 'embed', input: 'x' },
      key: GATEWAY_KEYS.narrow,
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as ErrorBody).error).toMatchObject({
      code: 'route_not_allowed',
      param: 'model',
      message: 'key "narrow" may not use "embed"',
    });
    const anonymous = await send(context, {
      path: EMBEDDINGS,
      body: { model: 'embed', input: 'x' },
      key: null,
    });
    expect(anonymous.status).toBe(401);
    for (const [body, param] of [
      [{ model: 'embed' }, 'input'],
      [{ model: 'embed', input: ['ok', 7] }, 'input[1]'],
      [{ model: 'embed', input: 'x', dimensions: 0 }, 'dimensions'],
      [{ model: 'embed', input: 'x', encoding_format: 'hex' }, 'encoding_format'],
      [{ input: 'x' }, 'model'],
    ] as const) {
      const response = await send(context, { path: EMBEDDINGS, body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error).toMatchObject({
        code: 'invalid_parameter',
        param,
      });
    }
    expect(context.mock.requests).toHaveLength(0);
  });

  it("answers LangChain's OpenAIEmbeddings: embedDocuments and embedQuery", async () => {
    const embeddings = new OpenAIEmbeddings({
      model: 'embed',
      apiKey: GATEWAY_KEYS.main,
      maxRetries: 0,
      configuration: { baseURL: context.gateway.url, fetch: context.recorder.fetch },
    });
    const documents = ['LangChain talks to the gateway', 'as it talks to OpenAI'];
    expect(await embeddings.embedDocuments(documents)).toEqual(
      documents.map((text) => embeddingVector(text, 3072)),
    );
    expect(await embeddings.embedQuery('a question')).toEqual(embeddingVector('a question', 3072));
    expect(context.mock.requests.map((request) => request.path)).toEqual([
      '/api/v1/embeddings',
      '/api/v1/embeddings',
    ]);
  });
}

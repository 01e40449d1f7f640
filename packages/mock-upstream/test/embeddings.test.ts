import { EMBEDDINGS_SCHEMAS } from '@switchyard/spec-oracle';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embeddingVector, type MockUpstream, startMockUpstream } from '../src/index.js';
import { countTextTokens } from '../src/token-counter.js';
import { API_KEY, createClient, jsonOf, oracle, postChat, userMessage } from './support.js';

const SMALL = 'openai/text-embedding-3-small';
const LARGE = 'openai/text-embedding-3-large';
const MISTRAL = 'mistralai/mistral-embed';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** POSTs to /embeddings with plain fetch, so the wire shape stays visible. */
function postEmbeddings(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mock.url}/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const cosine = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);

describe('POST /embeddings', () => {
  it('answers the openai SDK with one deterministic unit vector, usage by the tokenizer and the cost', async () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const answer = await createClient(mock).embeddings.create({
      model: SMALL,
      input: text,
      encoding_format: 'float',
    });
    const vector = answer.data[0]?.embedding as number[];
    expect(answer.object).toBe('list');
    expect(answer.model).toBe(SMALL);
    expect(answer.data).toHaveLength(1);
    expect(answer.data[0]).toMatchObject({ object: 'embedding', index: 0 });
    expect(vector).toHaveLength(1536);
    expect(vector).toEqual(embeddingVector(text, 1536));
    expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    const tokens = countTextTokens(text);
    expect(answer.usage).toMatchObject({
      prompt_tokens: tokens,
      total_tokens: tokens,
      cost: tokens * 0.00000002,
    });
  });

  it('sends base64 (little-endian float32) when asked, as the SDK does by default; it decodes to the float vector', async () => {
    const texts = ['alpha beta', 'gamma delta'];
    // No encoding_format: the SDK asks for base64 and decodes it itself.
    const decoded = await createClient(mock).embeddings.create({ model: SMALL, input: texts });
    const request = mock.requests.at(-1)?.body as { encoding_format?: string };
    expect(request.encoding_format).toBe('base64');
    expect(decoded.data.map((item) => item.embedding)).toEqual(
      texts.map((text) => embeddingVector(text, 1536)),
    );

    const raw = await jsonOf(
      postEmbeddings({ model: SMALL, input: 'alpha beta', encoding_format: 'base64' }),
    );
    const embedding = (raw as unknown as { data: Array<{ embedding: string }> }).data[0]?.embedding as string;
    const bytes = Buffer.from(embedding, 'base64');
    expect(bytes.length).toBe(1536 * 4);
    expect(bytes.readFloatLE(0)).toBe(embeddingVector('alpha beta', 1536)[0]);
  });

  it('answers arrays of texts in order, honours dimensions, and ranks texts that share words closer', async () => {
    const texts = ['cats purr on warm windowsills', 'dogs bark at the mail carrier', 'warm cats sleep'];
    const answer = await createClient(mock).embeddings.create({
      model: LARGE,
      input: texts,
      dimensions: 256,
      encoding_format: 'float',
    });
    expect(answer.data.map((item) => item.index)).toEqual([0, 1, 2]);
    for (const item of answer.data) expect(item.embedding).toHaveLength(256);
    const [cats, dogs, warmCats] = answer.data.map((item) => item.embedding);
    expect(cosine(warmCats as number[], cats as number[])).toBeGreaterThan(
      cosine(warmCats as number[], dogs as number[]),
    );
    const tokens = texts.reduce((sum, text) => sum + countTextTokens(text), 0);
    expect(answer.usage.prompt_tokens).toBe(tokens);
  });

  it('takes token arrays: one, or several, each counting its ids', async () => {
    const one = await jsonOf(postEmbeddings({ model: MISTRAL, input: [1, 2, 3] }));
    expect(one.usage.prompt_tokens).toBe(3);
    const several = await jsonOf(
      postEmbeddings({
        model: MISTRAL,
        input: [
          [1, 2],
          [3, 4, 5],
        ],
      }),
    );
    expect(several.usage.prompt_tokens).toBe(5);
    const data = (several as unknown as { data: Array<{ embedding: number[] }> }).data;
    expect(data.map((item) => item.embedding.length)).toEqual([1024, 1024]);
    expect(data[1]?.embedding).toEqual(embeddingVector([3, 4, 5], 1024));
  });

  it('answers with the shape of OpenRouter’s embeddings schema and an X-Generation-Id equal to the id', async () => {
    const response = await postEmbeddings({ model: SMALL, input: ['one', 'two'] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; provider: string };
    oracle.assertValid(EMBEDDINGS_SCHEMAS.response, body);
    expect(body.id).toBe(response.headers.get('x-generation-id'));
    expect(body.provider).toBe('OpenAI');
  });

  it('logs the request with its model and path', async () => {
    await postEmbeddings({ model: SMALL, input: 'logged' });
    const entry = mock.requests.at(-1);
    expect(entry).toMatchObject({ method: 'POST', path: '/api/v1/embeddings', model: SMALL, status: 200 });
    expect(entry?.headers.authorization).toBe('Bearer [redacted]');
  });
});

describe('POST /embeddings refusals', () => {
  const cases: Array<[string, unknown, number, string | RegExp]> = [
    ['a body that is not JSON', '{', 400, /^Invalid JSON in request body/],
    ['no input', { model: SMALL }, 400, /"input" must be/],
    ['an empty string', { model: SMALL, input: '' }, 400, /"input" must be/],
    ['an empty array', { model: SMALL, input: [] }, 400, /"input" must be/],
    ['mixed input', { model: SMALL, input: ['a', 1] }, 400, /"input" must be/],
    ['no model', { input: 'x' }, 400, /"model" must be/],
    ['zero dimensions', { model: SMALL, input: 'x', dimensions: 0 }, 400, /"dimensions" must be a positive/],
    ['an unknown encoding', { model: SMALL, input: 'x', encoding_format: 'hex' }, 400, /"encoding_format"/],
    ['an unknown model', { model: 'acme/nope', input: 'x' }, 400, 'acme/nope is not a valid model ID'],
    ['a chat model', { model: 'openai/gpt-4o-mini', input: 'x' }, 404, /support embeddings/],
    ['too many dimensions', { model: SMALL, input: 'x', dimensions: 2000 }, 400, /at most 1536/],
    [
      'dimensions on a model without them',
      { model: MISTRAL, input: 'x', dimensions: 8 },
      400,
      /does not support/,
    ],
  ];
  for (const [what, body, status, message] of cases) {
    it(`refuses ${what} with ${status}`, async () => {
      const response = await postEmbeddings(body);
      expect(response.status).toBe(status);
      const answer = await jsonOf(response);
      oracle.assertValid(status === 404 ? 'NotFoundResponse' : 'BadRequestResponse', answer);
      expect(answer.error.message).toMatch(message);
    });
  }

  it('refuses an input longer than the context window', async () => {
    const response = await postEmbeddings({ model: SMALL, input: 'word '.repeat(9_000) });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.message).toMatch(/maximum context length is 8192 tokens/);
  });

  it('refuses a request without a key, and a chat completion on an embedding model', async () => {
    const anonymous = await postEmbeddings({ model: SMALL, input: 'x' }, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect((await jsonOf(anonymous)).user_id).toBeUndefined();
    const chat = await postChat(mock, { model: SMALL, messages: userMessage('hi') });
    expect(chat.status).toBe(400);
    expect((await jsonOf(chat)).error.message).toBe(
      `${SMALL} is an embedding model: it answers /embeddings only`,
    );
  });

  it('never lets the auto router pick an embedding model', async () => {
    const client = createClient(mock);
    for (let index = 0; index < 30; index += 1) {
      const answer = await client.chat.completions.create({
        model: 'openrouter/auto',
        messages: userMessage('hi'),
      });
      expect(answer.model).not.toMatch(/embed/);
    }
  });
});

describe('scripted embeddings', () => {
  it('plays a 503 with its real status, then the next request succeeds', async () => {
    mock.script(SMALL, [{ kind: 'error', status: 503, retryAfterSeconds: 2 }]);
    const client = createClient(mock);
    const failed = await client.embeddings
      .create({ model: SMALL, input: 'x' })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((failed as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('2');
    const next = await client.embeddings.create({ model: SMALL, input: 'x' });
    expect(next.data).toHaveLength(1);
    expect(mock.requests.map((entry) => entry.step)).toEqual(['error', undefined]);
  });

  it('plays a 429, an HTTP-200 error body and an empty data list', async () => {
    mock.script(SMALL, [
      { kind: 'error', status: 429 },
      { kind: 'error-200', status: 502, message: 'Provider returned error' },
      { kind: 'empty-choices' },
    ]);
    const limited = await postEmbeddings({ model: SMALL, input: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const error200 = await postEmbeddings({ model: SMALL, input: 'x' });
    expect(error200.status).toBe(200);
    expect((await jsonOf(error200)).error).toMatchObject({ code: 502, message: 'Provider returned error' });
    const empty = await jsonOf(postEmbeddings({ model: SMALL, input: 'x' }));
    expect((empty as unknown as { data: unknown[] }).data).toEqual([]);
  });

  it('scripts a success: usage, served model, and floats whatever encoding was asked', async () => {
    mock.script(SMALL, [
      {
        kind: 'success',
        servedModel: LARGE,
        usage: { prompt_tokens: 40, cost: 0.5 },
        encodingFormat: 'float',
      },
    ]);
    const body = await jsonOf(postEmbeddings({ model: SMALL, input: 'hello', encoding_format: 'base64' }));
    expect(body.model).toBe(LARGE);
    expect(body.usage).toMatchObject({ prompt_tokens: 40, total_tokens: 40, cost: 0.5 });
    const data = (body as unknown as { data: Array<{ embedding: unknown }> }).data;
    expect(data[0]?.embedding).toEqual(embeddingVector('hello', 3072));
  });

  it('resets the connection when scripted to', async () => {
    mock.script(SMALL, [{ kind: 'reset' }]);
    await expect(postEmbeddings({ model: SMALL, input: 'x' })).rejects.toThrow();
    await mock.waitForSettled();
    expect(mock.requests.at(-1)?.outcome).toBe('reset');
  });
});

import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ErrorStatus, type MockUpstream, startMockUpstream } from '../src/index.js';
import { API_KEY, createClient, jsonOf, oracle, parseSse, postChat, userMessage } from './support.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const ERROR_SCHEMAS: Record<ErrorStatus, string> = {
  400: 'BadRequestResponse',
  401: 'UnauthorizedResponse',
  402: 'PaymentRequiredResponse',
  403: 'ForbiddenResponse',
  404: 'NotFoundResponse',
  408: 'RequestTimeoutResponse',
  413: 'PayloadTooLargeResponse',
  429: 'TooManyRequestsResponse',
  500: 'InternalServerResponse',
  502: 'BadGatewayResponse',
  503: 'ServiceUnavailableResponse',
};

const DEFAULT_MESSAGES: Record<ErrorStatus, string | RegExp> = {
  400: 'Invalid request parameters',
  401: 'No auth credentials found',
  402: /^This request requires more credits, or fewer max_tokens\. You requested up to 300 tokens, but can only afford/,
  403: /requires moderation on OpenAI\. Your input was flagged for "violence"/,
  404: 'No endpoints found that support tool use.',
  408: /timed out/,
  413: 'Request payload too large',
  429: 'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: /^No available providers/,
};

describe('scripted error statuses', () => {
  for (const status of Object.keys(ERROR_SCHEMAS).map(Number) as ErrorStatus[]) {
    it(`${status}: OpenRouter error body, status equal to code, X-Generation-Id`, async () => {
      mock.script('openai/gpt-4o-mini', [{ kind: 'error', status }]);
      const response = await postChat(mock, {
        model: 'openai/gpt-4o-mini',
        messages: userMessage('please hurt nobody'),
        max_tokens: 300,
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-generation-id')).toMatch(/^gen-/);
      const body = await jsonOf(response);
      oracle.assertValid(ERROR_SCHEMAS[status], body);
      expect(body.error.code).toBe(status);
      expect(body.error.message).toMatch(DEFAULT_MESSAGES[status]);
      if (status === 401) expect(body.user_id).toBeUndefined();
      else expect(body.user_id).toMatch(/^user_/);
      expect(response.headers.get('retry-after')).toBe(status === 429 ? '1' : null);
    });
  }

  it('403 carries moderation metadata', async () => {
    mock.script('openai/gpt-4o', [{ kind: 'error', status: 403 }]);
    const body = await jsonOf(postChat(mock, { model: 'openai/gpt-4o', messages: userMessage('flag me') }));
    expect(body.error.metadata).toEqual({
      reasons: ['violence'],
      flagged_input: 'flag me',
      provider_name: 'OpenAI',
      model_slug: 'openai/gpt-4o-2024-11-20',
    });
  });

  it('429 carries Retry-After and X-RateLimit-* in metadata.headers', async () => {
    mock.script('meta-llama/llama-3.3-70b-instruct:free', [
      { kind: 'error', status: 429, retryAfterSeconds: 7, rateLimitResetMs: 1_767_225_600_000 },
    ]);
    const response = await postChat(mock, {
      model: 'meta-llama/llama-3.3-70b-instruct:free',
      messages: userMessage('x'),
    });
    expect(response.headers.get('retry-after')).toBe('7');
    const body = await jsonOf(response);
    expect(body.error.metadata.headers).toEqual({
      'X-RateLimit-Limit': '50',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1767225600000',
    });
  });

  it('429 can say when to retry through X-RateLimit-Reset alone', async () => {
    mock.script('meta-llama/llama-3.3-70b-instruct:free', [
      { kind: 'error', status: 429, retryAfterSeconds: null, rateLimitResetMs: 1_767_225_600_000 },
    ]);
    const response = await postChat(mock, {
      model: 'meta-llama/llama-3.3-70b-instruct:free',
      messages: userMessage('x'),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    const body = await jsonOf(response);
    expect(body.error.metadata.headers['X-RateLimit-Reset']).toBe('1767225600000');
  });

  it('429 defaults the reset to a future epoch in milliseconds', async () => {
    mock.script('mock/small-8k', [{ kind: 'error', status: 429 }]);
    const body = await jsonOf(postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') }));
    expect(Number(body.error.metadata.headers['X-RateLimit-Reset'])).toBeGreaterThan(Date.now());
  });

  it('502 carries provider_name and the raw upstream body as a string', async () => {
    mock.script('anthropic/claude-sonnet-4.6', [{ kind: 'error', status: 502 }]);
    const body = await jsonOf(
      postChat(mock, { model: 'anthropic/claude-sonnet-4.6', messages: userMessage('x') }),
    );
    expect(body.error.metadata.provider_name).toBe('Anthropic');
    expect(typeof body.error.metadata.raw).toBe('string');
    expect(JSON.parse(body.error.metadata.raw)).toMatchObject({ error: { type: 'server_error' } });
  });

  it('503 sends Retry-After only when given; message and metadata overrides apply', async () => {
    mock.script('mock/small-8k', [
      { kind: 'error', status: 503 },
      { kind: 'error', status: 503, retryAfterSeconds: 30, message: 'down', metadata: { region: 'iad' } },
    ]);
    const first = await postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') });
    expect(first.headers.get('retry-after')).toBeNull();
    const second = await postChat(mock, { model: 'mock/small-8k', messages: userMessage('x') });
    expect(second.headers.get('retry-after')).toBe('30');
    expect((await jsonOf(second)).error).toEqual({ code: 503, message: 'down', metadata: { region: 'iad' } });
  });

  it('surfaces as typed errors in the OpenAI SDK', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'error', status: 429, retryAfterSeconds: 2 }]);
    const error = await createClient(mock)
      .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: userMessage('x') })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('2');
  });

  it('answers a stream request with a JSON error before any byte (fallback still possible)', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'error', status: 502 }]);
    const response = await postChat(mock, {
      model: 'openai/gpt-4o-mini',
      messages: userMessage('x'),
      stream: true,
    });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('application/json');
  });
});

describe('HTTP 200 with an error body', () => {
  it('non-stream: {error, user_id} and no choices', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'error-200', status: 429, message: 'Rate limited upstream' }]);
    const response = await postChat(mock, { model: 'openai/gpt-4o-mini', messages: userMessage('x') });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toEqual({
      error: { code: 429, message: 'Rate limited upstream' },
      user_id: expect.stringMatching(/^user_/),
    });
    expect(body.choices).toBeUndefined();
  });

  it('defaults to a 502 provider error', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'error-200' }]);
    const body = await jsonOf(postChat(mock, { model: 'openai/gpt-4o-mini', messages: userMessage('x') }));
    expect(body.error).toMatchObject({
      code: 502,
      message: 'Provider returned error',
      metadata: { provider_name: 'OpenAI' },
    });
  });

  it('stream: an error chunk before any content, then the stream ends', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'error-200', status: 502 }]);
    const response = await postChat(mock, {
      model: 'openai/gpt-4o-mini',
      messages: userMessage('x'),
      stream: true,
    });
    expect(response.status).toBe(200);
    const sse = parseSse(await response.text());
    expect(sse.data).toHaveLength(1);
    const chunk = sse.chunks[0];
    oracle.assertValid('ChatStreamChunk', chunk);
    expect(chunk).toMatchObject({
      error: { code: 502, message: 'Provider returned error' },
      choices: [{ finish_reason: 'error', delta: { content: '' } }],
    });
  });
});

describe('built-in validation', () => {
  it('unknown model id: 400 "<id> is not a valid model ID"', async () => {
    const response = await postChat(mock, { model: 'nope/missing', messages: userMessage('x') });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    oracle.assertValid('BadRequestResponse', body);
    expect(body.error).toEqual({ code: 400, message: 'nope/missing is not a valid model ID' });
  });

  it('context length: 400 with OpenRouter wording when prompt + max_tokens exceed the window', async () => {
    const long = 'lorem ipsum dolor sit amet '.repeat(800);
    const response = await postChat(mock, {
      model: 'mock/small-8k',
      messages: userMessage(long),
      max_tokens: 6000,
    });
    expect(response.status).toBe(400);
    const { error } = await jsonOf(response);
    const match =
      /^This endpoint's maximum context length is 8192 tokens\. However, you requested about (\d+) tokens \((\d+) of text input, 6000 in the output\)\. Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically\.$/.exec(
        error.message,
      );
    expect(match, error.message).not.toBeNull();
    expect(Number(match?.[1])).toBe(Number(match?.[2]) + 6000);

    const fits = await postChat(mock, {
      model: 'mock/small-8k',
      messages: userMessage(long),
      max_tokens: 100,
    });
    expect(fits.status).toBe(200);
    const viaCompletionTokens = await postChat(mock, {
      model: 'mock/small-8k',
      messages: userMessage(long),
      max_completion_tokens: 8000,
    });
    expect(viaCompletionTokens.status).toBe(400);
  });

  it('tools on a model without tool support: 404', async () => {
    const response = await postChat(mock, {
      model: 'mistralai/mistral-7b-instruct',
      messages: userMessage('x'),
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    expect(response.status).toBe(404);
    expect((await jsonOf(response)).error.message).toBe('No endpoints found that support tool use.');
  });

  it('images on a text-only model: 404', async () => {
    const response = await postChat(mock, {
      model: 'deepseek/deepseek-chat',
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] },
      ],
    });
    expect(response.status).toBe(404);
  });

  it('invalid JSON and missing messages: 400', async () => {
    const invalid = await postChat(mock, undefined, { rawBody: '{"model": ' });
    expect(invalid.status).toBe(400);
    expect((await jsonOf(invalid)).error.message).toMatch(/^Invalid JSON in request body/);
    const missing = await postChat(mock, { model: 'openai/gpt-4o-mini' });
    expect(missing.status).toBe(400);
    expect((await jsonOf(missing)).error.message).toBe('Input required: specify "prompt" or "messages"');
  });

  it('malformed messages and tools: 400 naming the culprit', async () => {
    const message = await postChat(mock, { model: 'openai/gpt-4o-mini', messages: [{ content: 'no role' }] });
    expect(message.status).toBe(400);
    expect((await jsonOf(message)).error.message).toContain('messages[0]');
    const tool = await postChat(mock, {
      model: 'openai/gpt-4o-mini',
      messages: userMessage('x'),
      tools: [{ type: 'function' }],
    });
    expect(tool.status).toBe(400);
    expect((await jsonOf(tool)).error.message).toContain('tools[0]');
  });

  it('scripted steps bypass validation', async () => {
    mock.script('private/model', [{ kind: 'success', content: 'ok' }]);
    const response = await postChat(mock, { model: 'private/model', messages: userMessage('x') });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({
      model: 'private/model',
      choices: [{ message: { content: 'ok' } }],
    });
  });

  it('unknown paths: 404 JSON', async () => {
    const response = await fetch(`${mock.url}/rerank`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect((await jsonOf(response)).error.code).toBe(404);
  });
});

describe('authentication', () => {
  it('missing Authorization: 401 "No auth credentials found"', async () => {
    const response = await postChat(
      mock,
      { model: 'openai/gpt-4o-mini', messages: userMessage('x') },
      {
        headers: { authorization: undefined },
      },
    );
    expect(response.status).toBe(401);
    const body = await jsonOf(response);
    oracle.assertValid('UnauthorizedResponse', body);
    expect(body).toEqual({ error: { code: 401, message: 'No auth credentials found' } });
  });

  it('takes the key from x-api-key when no Authorization is sent (as Anthropic’s API does)', async () => {
    const guarded = await startMockUpstream({ apiKeys: [API_KEY] });
    try {
      const body = { model: 'openai/gpt-4o-mini', messages: userMessage('x') };
      const ok = await postChat(guarded, body, {
        headers: { authorization: undefined, 'x-api-key': API_KEY },
      });
      expect(ok.status).toBe(200);
      const wrong = await postChat(guarded, body, {
        headers: { authorization: undefined, 'x-api-key': 'sk-wrong' },
      });
      expect(wrong.status).toBe(401);
      expect((await jsonOf(wrong)).error.message).toBe('User not found.');
    } finally {
      await guarded.close();
    }
  });

  it('with apiKeys, only those keys pass; others get "User not found."', async () => {
    const guarded = await startMockUpstream({ apiKeys: [API_KEY] });
    try {
      const ok = await postChat(guarded, { model: 'openai/gpt-4o-mini', messages: userMessage('x') });
      expect(ok.status).toBe(200);
      const wrong = await postChat(
        guarded,
        { model: 'openai/gpt-4o-mini', messages: userMessage('x') },
        {
          headers: { authorization: 'Bearer sk-wrong' },
        },
      );
      expect(wrong.status).toBe(401);
      expect((await jsonOf(wrong)).error.message).toBe('User not found.');
      const error = await new OpenAI({
        baseURL: guarded.url,
        apiKey: 'sk-other',
        maxRetries: 0,
      }).chat.completions
        .create({ model: 'openai/gpt-4o-mini', messages: userMessage('x') })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    } finally {
      await guarded.close();
    }
  });

  it('authentication failures do not consume scripted steps', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'success', content: 'kept' }]);
    await postChat(
      mock,
      { model: 'openai/gpt-4o-mini', messages: userMessage('x') },
      { headers: { authorization: undefined } },
    );
    const body = await jsonOf(postChat(mock, { model: 'openai/gpt-4o-mini', messages: userMessage('x') }));
    expect(body.choices[0]?.message.content).toBe('kept');
  });
});

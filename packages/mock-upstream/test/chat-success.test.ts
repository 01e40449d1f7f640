import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MOCK_MODELS, type MockUpstream, startMockUpstream } from '../src/index.js';
import { createClient, jsonOf, oracle, parseSse, postChat, userMessage } from './support.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

describe('non-stream success', () => {
  it('answers in OpenRouter shape, valid against ChatResult, with usage and cost', async () => {
    const client = createClient(mock);
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: userMessage('What is the capital of France?'),
    });
    oracle.assertValid('ChatResult', completion);
    expect(completion).toMatchObject({
      id: expect.stringMatching(/^gen-\d+-\w+$/),
      provider: 'OpenAI',
      model: 'openai/gpt-4o-mini',
      object: 'chat.completion',
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          native_finish_reason: 'stop',
          message: {
            role: 'assistant',
            content: 'Mock reply from openai/gpt-4o-mini: you said "What is the capital of France?".',
            refusal: null,
          },
        },
      ],
      usage: {
        is_byok: false,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    const usage = completion.usage as unknown as Record<string, number>;
    expect(usage.total_tokens).toBe((usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0));
    // gpt-4o-mini: $0.15 / M prompt tokens, $0.60 / M completion tokens.
    expect(usage.cost).toBeCloseTo(
      (usage.prompt_tokens ?? 0) * 0.00000015 + (usage.completion_tokens ?? 0) * 0.0000006,
      15,
    );
  });

  it('reports cached, cache-written and reasoning tokens and prices each at its own rate', async () => {
    mock.script('anthropic/claude-sonnet-4.6', [
      {
        kind: 'success',
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 100,
          cached_tokens: 200,
          cache_write_tokens: 300,
          reasoning_tokens: 40,
        },
      },
    ]);
    const completion = await createClient(mock).chat.completions.create({
      model: 'anthropic/claude-sonnet-4.6',
      messages: userMessage('Think first.'),
    });
    oracle.assertValid('ChatResult', completion);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 100,
      prompt_tokens_details: { cached_tokens: 200, cache_write_tokens: 300 },
      completion_tokens_details: { reasoning_tokens: 40 },
    });
    // 500 × $3/M + 200 cached × $0.30/M + 300 written × $3.75/M + 100 × $15/M (no separate
    // reasoning price: reasoning tokens cost completion) = 0.0015 + 0.00006 + 0.001125 + 0.0015.
    expect((completion.usage as unknown as { cost: number }).cost).toBe(0.004185);
  });

  it('is deterministic and sends X-Generation-Id equal to the body id', async () => {
    const body = { model: 'deepseek/deepseek-chat', messages: userMessage('same question') };
    const first = await postChat(mock, body);
    const second = await postChat(mock, body);
    const [firstJson, secondJson] = [await jsonOf(first), await jsonOf(second)];
    expect(first.headers.get('x-generation-id')).toBe(firstJson.id);
    expect(firstJson.id).not.toBe(secondJson.id);
    expect(firstJson.choices[0]?.message.content).toBe(secondJson.choices[0]?.message.content);
    expect(firstJson.usage).toEqual(secondJson.usage);
  });

  it('adds the per-request fee to the cost and prices exactly', async () => {
    mock.script('perplexity/sonar', [
      { kind: 'success', usage: { prompt_tokens: 1000, completion_tokens: 500 } },
    ]);
    const response = await postChat(mock, { model: 'perplexity/sonar', messages: userMessage('news?') });
    const json = await jsonOf(response);
    // 1000 × 0.000001 + 500 × 0.000001 + 0.005
    expect(json.usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 500,
      total_tokens: 1500,
      cost: 0.0065,
    });
  });

  it('charges nothing on a :free variant', async () => {
    const response = await postChat(mock, {
      model: 'meta-llama/llama-3.3-70b-instruct:free',
      messages: userMessage('hi'),
    });
    const json = await jsonOf(response);
    expect(json.usage.cost).toBe(0);
    expect(json.model).toBe('meta-llama/llama-3.3-70b-instruct:free');
  });

  it('truncates to max_tokens with finish_reason "length"', async () => {
    const client = createClient(mock);
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: userMessage('Tell me a long story about a lighthouse keeper and a storm.'),
      max_tokens: 3,
    });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
    expect(completion.choices[0]?.message.content).toBe('Mock reply from');
  });

  it('serves /v1/chat/completions too', async () => {
    const response = await fetch(`${mock.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock/small-8k', messages: userMessage('hi') }),
    });
    expect(response.status).toBe(200);
    oracle.assertValid('ChatResult', await jsonOf(response));
  });

  it('uses setReply per model and options.reply-free scripted content', async () => {
    mock.setReply('openai/gpt-4o-mini', (request) => `echo ${request.messages.length}`);
    mock.script('openai/gpt-4o-mini', [{ kind: 'success', content: 'scripted' }]);
    const client = createClient(mock);
    const ask = async () =>
      (await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: userMessage('x') }))
        .choices[0]?.message.content;
    expect(await ask()).toBe('scripted');
    expect(await ask()).toBe('echo 1');
    mock.reset();
    expect(await ask()).toMatch(/^Mock reply from/);
  });

  it('answers a scripted refusal', async () => {
    mock.script('openai/gpt-4o', [{ kind: 'success', refusal: 'I cannot help with that.' }]);
    const completion = await createClient(mock).chat.completions.create({
      model: 'openai/gpt-4o',
      messages: userMessage('x'),
    });
    oracle.assertValid('ChatResult', completion);
    expect(completion.choices[0]?.message).toMatchObject({
      content: null,
      refusal: 'I cannot help with that.',
    });
  });
});

describe('served model differs from the requested one', () => {
  it('names the alias target for an aliased id, and logs both', async () => {
    const completion = await createClient(mock).chat.completions.create({
      model: 'openai/gpt-4o',
      messages: userMessage('hi'),
    });
    expect(completion.model).toBe('openai/gpt-4o-2024-11-20');
    expect(mock.requests.at(-1)).toMatchObject({
      model: 'openai/gpt-4o',
      servedModel: 'openai/gpt-4o-2024-11-20',
    });
  });

  it('lets openrouter/auto pick a catalog model that fits, seeded', async () => {
    const ids = new Set(DEFAULT_MOCK_MODELS.map((model) => model.id));
    const picks: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      const response = await postChat(mock, { model: 'openrouter/auto', messages: userMessage('route me') });
      const json = await jsonOf(response);
      oracle.assertValid('ChatResult', json);
      picks.push(json.model);
    }
    expect(picks.every((id) => ids.has(id))).toBe(true);
    expect(new Set(picks).size).toBeGreaterThan(1);

    const again = await startMockUpstream();
    try {
      const replay: string[] = [];
      for (let index = 0; index < 6; index += 1) {
        const response = await postChat(again, {
          model: 'openrouter/auto',
          messages: userMessage('route me'),
        });
        replay.push((await jsonOf(response)).model);
      }
      expect(replay).toEqual(picks);
    } finally {
      await again.close();
    }
  });

  it('reports a scripted servedModel and prices it', async () => {
    mock.script('openai/gpt-4o-mini', [{ kind: 'success', servedModel: 'anthropic/claude-sonnet-4.6' }]);
    const response = await postChat(mock, { model: 'openai/gpt-4o-mini', messages: userMessage('hi') });
    const json = await jsonOf(response);
    expect(json).toMatchObject({ model: 'anthropic/claude-sonnet-4.6', provider: 'Anthropic' });
    expect(json.usage.cost).toBeCloseTo(
      json.usage.prompt_tokens * 0.000003 + json.usage.completion_tokens * 0.000015,
      15,
    );
  });

  it('routes :nitro to the base model', async () => {
    const json = await jsonOf(
      postChat(mock, { model: 'deepseek/deepseek-chat:nitro', messages: userMessage('hi') }),
    );
    expect(json.model).toBe('deepseek/deepseek-chat');
  });
});

describe('stream success', () => {
  it('streams chunks the SDK reassembles; every chunk is a valid ChatStreamChunk', async () => {
    const client = createClient(mock);
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: userMessage('Stream a few words please'),
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) oracle.assertValid('ChatStreamChunk', chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Mock reply from openai/gpt-4o-mini: you said "Stream a few words please".');
    const contentChunks = chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? '') !== '');
    expect(contentChunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const finish = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0]?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      prompt_tokens: expect.any(Number),
      cost: expect.any(Number),
      is_byok: false,
    });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('sends SSE headers, a leading keep-alive comment, framed events and [DONE]', async () => {
    const response = await postChat(mock, {
      model: 'mock/small-8k',
      messages: userMessage('hi there'),
      stream: true,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-generation-id')).toMatch(/^gen-/);
    const text = await response.text();
    expect(text.startsWith(': OPENROUTER PROCESSING\n\ndata: ')).toBe(true);
    const sse = parseSse(text);
    expect(sse.wellFramed).toBe(true);
    expect(sse.data.at(-1)).toBe('[DONE]');
    for (const chunk of sse.chunks) {
      oracle.assertValid('ChatStreamChunk', chunk);
      expect(chunk).toMatchObject({
        object: 'chat.completion.chunk',
        provider: 'Mock',
        model: 'mock/small-8k',
      });
    }
  });

  it('keeps the usage cost identical to the non-stream answer', async () => {
    const body = { model: 'google/gemini-2.5-flash', messages: userMessage('compare costs') };
    const plain = await jsonOf(postChat(mock, body));
    const sse = parseSse(await (await postChat(mock, { ...body, stream: true })).text());
    expect(sse.chunks.at(-1)?.usage).toEqual(plain.usage);
  });

  it('streams keep-alive comments between chunks when asked, and the 2025 usage chunk style', async () => {
    const styled = await startMockUpstream({
      keepAlive: { before: 3, between: true },
      usageChunkStyle: '2025',
    });
    try {
      const text = await (
        await postChat(styled, {
          model: 'mock/small-8k',
          messages: userMessage('one two three'),
          stream: true,
        })
      ).text();
      expect(text.startsWith(': OPENROUTER PROCESSING\n\n'.repeat(3))).toBe(true);
      const sse = parseSse(text);
      expect(sse.comments.length).toBe(3 + sse.data.length - 1);
      const usageChunk = sse.chunks.at(-1) as { choices: Array<Record<string, unknown>>; usage: unknown };
      oracle.assertValid('ChatStreamChunk', usageChunk);
      expect(usageChunk.choices).toEqual([
        expect.objectContaining({ index: 0, finish_reason: null, delta: { role: 'assistant', content: '' } }),
      ]);
      expect(usageChunk.usage).toMatchObject({ prompt_tokens: expect.any(Number), cost: expect.any(Number) });

      // The SDK accepts both the comments and the 2025 shape.
      const stream = await createClient(styled).chat.completions.create({
        model: 'mock/small-8k',
        messages: userMessage('one two three'),
        stream: true,
      });
      let usageSeen = false;
      for await (const chunk of stream) usageSeen ||= chunk.usage?.total_tokens !== undefined;
      expect(usageSeen).toBe(true);
    } finally {
      await styled.close();
    }
  });

  it('spaces chunks by chunkDelayMs', async () => {
    const slow = await startMockUpstream({ chunkDelayMs: 20 });
    try {
      const started = Date.now();
      const sse = parseSse(
        await (
          await postChat(slow, { model: 'mock/small-8k', messages: userMessage('a b c'), stream: true })
        ).text(),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(20 * (sse.data.length - 1) - 5);
    } finally {
      await slow.close();
    }
  });
});

describe('GET /models', () => {
  it('lists the catalog, every model valid against the Model schema', async () => {
    for (const path of ['/api/v1/models', '/v1/models']) {
      const response = await fetch(`${mock.origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-generation-id')).toBeTruthy();
      const { data } = await jsonOf(response);
      expect(data.map((model) => model.id)).toEqual(DEFAULT_MOCK_MODELS.map((model) => model.id));
      for (const model of data) {
        oracle.assertValid('Model', model);
        expect(model.pricing.prompt).toMatch(/^\d+(\.\d+)?$/);
      }
    }
  });

  it('includes the models the contract promises', async () => {
    const { data } = await jsonOf(fetch(`${mock.url}/models`));
    const byId = new Map(data.map((model) => [model.id, model]));
    expect(byId.get('mock/small-8k')?.context_length).toBe(8192);
    expect(data.some((model) => model.context_length >= 128_000)).toBe(true);
    expect(byId.get('meta-llama/llama-3.3-70b-instruct:free')?.pricing).toMatchObject({
      prompt: '0',
      completion: '0',
    });
    for (const id of [
      'meta-llama/llama-3.3-70b-instruct',
      'openai/gpt-4o-mini',
      'openai/gpt-4o',
      'openai/gpt-4o-2024-11-20',
      'anthropic/claude-sonnet-4.6',
      'google/gemini-2.5-flash',
      'deepseek/deepseek-chat',
    ]) {
      expect(byId.has(id), id).toBe(true);
    }
    expect(data.some((model) => !model.supported_parameters.includes('tools'))).toBe(true);
    expect(data.some((model) => model.architecture.input_modalities.includes('image'))).toBe(true);
  });

  it('serves a custom catalog, filling OpenRouter defaults', async () => {
    const custom = await startMockUpstream({
      models: [
        {
          id: 'acme/tiny',
          name: 'Acme Tiny',
          context_length: 100,
          pricing: { prompt: '0.000001', completion: '0.000002' },
          architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'] },
          top_provider: { is_moderated: false },
          supported_parameters: ['max_tokens'],
        },
      ],
    });
    try {
      const { data } = await jsonOf(fetch(`${custom.url}/models`));
      expect(data).toHaveLength(1);
      oracle.assertValid('Model', data[0]);
      expect(data[0]).toMatchObject({
        canonical_slug: 'acme/tiny',
        links: { details: '/api/v1/models/acme/tiny/endpoints' },
      });
      const aliased = await postChat(custom, { model: 'openai/gpt-4o', messages: userMessage('hi') });
      expect(aliased.status).toBe(400);
    } finally {
      await custom.close();
    }
  });

  it('refuses aliases to unknown models', async () => {
    await expect(startMockUpstream({ aliases: { a: 'nope/missing' } })).rejects.toThrow(
      'Alias "a" points to "nope/missing", which is not in the mock catalog.',
    );
  });
});

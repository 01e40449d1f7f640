import { DEFAULT_MOCK_MODELS, embeddingVector } from '@switchyard/mock-upstream';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { RoutingError } from '../src/errors/routing-error.js';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import { ledgerToCsv } from '../src/spend/spend-ledger.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const SMALL = 'openai/text-embedding-3-small';
const LARGE = 'openai/text-embedding-3-large';
const MISTRAL = 'mistralai/mistral-embed';
const CHAT = 'meta-llama/llama-3.3-70b-instruct';
const SMALL_PRICE = '0.00000002';
const LARGE_PRICE = '0.00000013';

/** USD of `tokens` at a per-token price, exactly. */
const priced = (tokens: number, price: string): string => formatUsd(BigInt(tokens) * parseUsd(price));

const embedConfig = () => ({
  models: {
    large: { provider: 'mock', model: LARGE, pricing: { prompt: LARGE_PRICE } },
    small: { provider: 'mock', model: SMALL, pricing: { prompt: SMALL_PRICE } },
    mistral: { provider: 'mock', model: MISTRAL },
    chat: { provider: 'mock', model: CHAT, pricing: { prompt: '0.0000001', completion: '0.00000032' } },
  },
  routes: {
    embed: { strategy: 'fallback' as const, targets: ['large', 'small'] },
    mixed: { strategy: 'fallback' as const, targets: ['chat', 'small'] },
    talk: { strategy: 'fallback' as const, targets: ['large', 'chat'] },
    chats: { strategy: 'fallback' as const, targets: ['chat'] },
    cheapest: { strategy: 'cheapest' as const, targets: ['large', 'small'] },
  },
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
});

/** The mock's catalog: it tells embedding models (`output_modalities: ["embeddings"]`) from chat models. */
const withCatalog = { router: { catalog: DEFAULT_MOCK_MODELS } };

describe('router.embed', () => {
  it('embeds through a route, priced by input tokens at the prompt price, traced and in the ledger', async () => {
    const { router, mock } = await startFixture({ config: embedConfig, ...withCatalog });
    const input = ['cats purr on warm windowsills', 'dogs bark'];
    const { response, trace } = await router.embed({ model: 'embed', input }, { caller: { key: 'team-a' } });

    expect(response.model).toBe(LARGE);
    expect(response.data.map((item) => item.embedding)).toEqual(
      input.map((text) => embeddingVector(text, 3072)),
    );
    const tokens = input.reduce((sum, text) => sum + countTokens(text), 0);
    expect(trace).toMatchObject({
      operation: 'embeddings',
      route: 'embed',
      fallback: false,
      promptTokens: tokens,
      completionTokens: 0,
      costUsd: priced(tokens, LARGE_PRICE),
      served: { target: 'large', model: LARGE, returnedModel: LARGE },
    });
    expect(trace.attempts[0]).toMatchObject({ outcome: 'success', costBasis: 'sent_model' });
    expect(mock.requests[0]).toMatchObject({ path: '/api/v1/embeddings', model: LARGE });
    expect(mock.requests[0]?.body).toEqual({ model: LARGE, input });

    const [entry] = await router.ledger.query({ operation: 'embeddings' });
    expect(entry).toMatchObject({
      operation: 'embeddings',
      key: 'team-a',
      route: 'embed',
      model: LARGE,
      outcome: 'success',
      promptTokens: tokens,
      completionTokens: 0,
      costUsd: priced(tokens, LARGE_PRICE),
    });
    expect(await router.ledger.query({ operation: 'chat' })).toEqual([]);
    const [header, row] = ledgerToCsv([entry as NonNullable<typeof entry>]).split('\r\n');
    expect(row?.split(',')[header?.split(',').indexOf('operation') ?? -1]).toBe('embeddings');
  });

  it('passes dimensions, encoding_format and user through, and answers base64 as the upstream sent it', async () => {
    const { router, mock } = await startFixture({ config: embedConfig, ...withCatalog });
    const { response, trace } = await router.embed({
      model: 'small',
      input: 'hello there',
      dimensions: 64,
      encoding_format: 'base64',
      user: 'u-1',
    });
    expect(typeof response.data[0]?.embedding).toBe('string');
    expect(Buffer.from(response.data[0]?.embedding as string, 'base64').length).toBe(64 * 4);
    expect(mock.requests[0]?.body).toMatchObject({ dimensions: 64, encoding_format: 'base64', user: 'u-1' });
    expect(trace.caller.user).toBe('u-1');
  });

  it('falls back on a 503 to the next target, billing the request once', async () => {
    const { router, mock } = await startFixture({ config: embedConfig, ...withCatalog });
    mock.script(LARGE, [{ kind: 'error', status: 503, times: 2 }]);
    const { response, trace } = await router.embed({ model: 'embed', input: 'fall back' });
    expect(response.model).toBe(SMALL);
    expect(trace.fallback).toBe(true);
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['large', 'upstream_unavailable'],
      ['small', 'success'],
    ]);
    expect(trace.costUsd).toBe(priced(countTokens('fall back'), SMALL_PRICE));
    const entries = await router.ledger.query();
    expect(entries.map((entry) => [entry.target, entry.costUsd, entry.operation])).toEqual([
      ['large', '0', 'embeddings'],
      ['small', trace.costUsd, 'embeddings'],
    ]);
  });

  it('retries the last target standing on a transient failure, and falls back on an invalid answer', async () => {
    const { router, mock } = await startFixture({ config: embedConfig, ...withCatalog });
    mock.script(SMALL, [{ kind: 'error', status: 503 }]);
    const retried = await router.embed({ model: 'small', input: 'again' });
    expect(retried.trace.attempts.map((attempt) => [attempt.outcome, attempt.retry])).toEqual([
      ['upstream_unavailable', 0],
      ['success', 1],
    ]);

    mock.script(LARGE, [{ kind: 'empty-choices' }]);
    const fellBack = await router.embed({ model: 'embed', input: 'vectors please' });
    expect(fellBack.trace.attempts[0]).toMatchObject({ outcome: 'invalid_response' });
    expect(fellBack.trace.attempts[0]?.message).toContain('no embeddings');
    expect(fellBack.response.model).toBe(SMALL);

    mock.script(LARGE, [{ kind: 'error-200', status: 502 }]);
    const error200 = await router.embed({ model: 'embed', input: 'vectors please' });
    expect(error200.trace.attempts[0]?.outcome).toBe('upstream_unavailable');
  });

  it('skips a chat model with chat_only, and names the route when none of its targets embeds', async () => {
    const { router, mock } = await startFixture({ config: embedConfig, ...withCatalog });
    const { response, trace } = await router.embed({ model: 'mixed', input: 'skip the chat model' });
    expect(response.model).toBe(SMALL);
    expect(trace.skipped).toEqual([{ target: 'chat', reason: 'chat_only' }]);
    expect(trace.attempts).toHaveLength(1);

    const error = await rejectionOf(router.embed({ model: 'chats', input: 'nothing embeds here' }));
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toBe('"chats" serves no embeddings: its targets are chat models (chat: chat_only)');
    expect(mock.requests.filter((request) => request.model === CHAT)).toHaveLength(0);
  });

  it('skips an embedding model for a chat with embedding_only', async () => {
    const { router } = await startFixture({ config: embedConfig, ...withCatalog });
    const { trace } = await router.chat(ask('talk'));
    expect(trace.skipped).toEqual([{ target: 'large', reason: 'embedding_only' }]);
    expect(trace.served?.target).toBe('chat');
    const error = await rejectionOf(router.chat(ask('embed')));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toContain('"embed" serves no chat completions: its targets are embedding models');
  });

  it('takes a model type from the config where the catalog says nothing', async () => {
    const { router } = await startFixture({
      config: () => ({
        bundledCatalog: false,
        models: {
          vectors: { provider: 'mock', model: SMALL, type: 'embedding' as const },
          words: { provider: 'mock', model: CHAT, type: 'chat' as const },
          unknown: { provider: 'mock', model: MISTRAL },
        },
        routes: { both: { strategy: 'fallback' as const, targets: ['words', 'unknown', 'vectors'] } },
      }),
    });
    const embedded = await router.embed({ model: 'both', input: 'x' });
    // A model the catalog and the config say nothing of may serve either.
    expect(embedded.trace.served?.target).toBe('unknown');
    expect(embedded.trace.skipped).toEqual([{ target: 'words', reason: 'chat_only' }]);
    const error = await rejectionOf(router.chat(ask('vectors')));
    expect(error.message).toContain('"vectors" serves no chat completions');
  });

  it('ranks a cheapest route by the prompt price', async () => {
    const { router } = await startFixture({ config: embedConfig, ...withCatalog });
    const { trace } = await router.embed({ model: 'cheapest', input: 'which is cheaper?' });
    expect(trace.served?.target).toBe('small');
  });

  it('refuses a bad input, an unknown model and a bad ceiling before any call', async () => {
    const { router, mock } = await startFixture({ config: embedConfig, ...withCatalog });
    for (const input of ['', [], ['a', 2], [[]]] as unknown[]) {
      const error = await rejectionOf(router.embed({ model: 'embed', input } as never));
      expect(error).toMatchObject({ code: 'invalid_request' });
      expect(error.message).toContain('"input" must be');
    }
    expect(await rejectionOf(router.embed({ model: 'nope', input: 'x' }))).toMatchObject({
      code: 'no_route',
    });
    expect(mock.requests).toHaveLength(0);
  });

  it('opens a breaker on repeated failures and skips the target while it is open', async () => {
    const { router, mock } = await startFixture({
      config: () => ({ ...embedConfig(), breaker: { failureThreshold: 2, cooldownMs: 60_000 } }),
      ...withCatalog,
    });
    mock.script(LARGE, [{ kind: 'error', status: 502, times: 4 }]);
    await router.embed({ model: 'embed', input: 'one' });
    await router.embed({ model: 'embed', input: 'two' });
    const { trace } = await router.embed({ model: 'embed', input: 'three' });
    expect(trace.skipped).toEqual([{ target: 'large', reason: 'breaker_open' }]);
    expect(router.breakerStates()[`mock/${LARGE}`]).toBe('open');
  });
});

describe('router.embed: budgets and rate limits count input tokens', () => {
  it('reserves the input tokens only (no completion) and refuses once the budget is spent', async () => {
    const { router } = await startFixture({
      config: () => ({
        ...embedConfig(),
        budgets: [{ scope: 'key' as const, usd: '0.0000015', period: 'day' as const }],
      }),
      ...withCatalog,
    });
    const input = 'a b c d e f g h'; // 8 tokens, $0.00000104 on large
    const tokens = countTokens(input);
    const first = await router.embed({ model: 'large', input }, { caller: { key: 'k' } });
    expect(first.trace.attempts[0]?.worstCaseUsd).toBe(priced(tokens, LARGE_PRICE));
    const error = await rejectionOf(router.embed({ model: 'large', input }, { caller: { key: 'k' } }));
    expect(error).toMatchObject({ code: 'budget_exceeded', status: 402 });
    expect(error.message).toContain('budget "key" of $0.0000015 per period has $0.00000104 spent');
  });

  it('counts the input tokens against tokens per minute', async () => {
    const input = 'one two three four five';
    const tokens = countTokens(input);
    const { router } = await startFixture({
      config: () => ({
        ...embedConfig(),
        limits: [{ scope: 'model' as const, match: SMALL, tpm: tokens * 2 }],
      }),
      ...withCatalog,
    });
    await router.embed({ model: 'small', input });
    await router.embed({ model: 'small', input });
    const error = await rejectionOf(router.embed({ model: 'small', input }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(error.message).toContain(`model:${SMALL} tpm`);
  });

  it('skips a target whose worst case is over the ceiling', async () => {
    const { router } = await startFixture({ config: embedConfig, ...withCatalog });
    const input = 'expensive words here';
    const { trace } = await router.embed(
      { model: 'embed', input },
      { maxCostUsd: priced(countTokens(input), SMALL_PRICE) },
    );
    expect(trace.skipped.map((skipped) => [skipped.target, skipped.reason])).toEqual([
      ['large', 'over_ceiling'],
    ]);
    expect(trace.served?.target).toBe('small');
  });
});

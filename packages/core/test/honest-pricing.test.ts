import { DEFAULT_MOCK_MODELS, type MockModel } from '@switchyard/mock-upstream';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import type { RoutingError } from '../src/errors/routing-error.js';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import type { ChatChunk } from '../src/types/chat.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const MINI = 'openai/gpt-4o-mini';
const SONNET = 'anthropic/claude-sonnet-4.6';
const THINKER = 'mock/thinker';

/** A reasoning model whose thinking tokens cost four times its completion tokens. */
const THINKER_MODEL: MockModel = {
  ...(DEFAULT_MOCK_MODELS.find((model) => model.id === MINI) as MockModel),
  id: THINKER,
  name: 'Mock: Thinker',
  pricing: { prompt: '0.000001', completion: '0.000002', request: '0', internal_reasoning: '0.000008' },
};
const THINKER_PRICING = { prompt: '0.000001', completion: '0.000002', internal_reasoning: '0.000008' };

const textOf = (chunks: ChatChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');

describe('price what ran', () => {
  it('prices a substituted model at the served model’s rates, in the trace, the ledger and the budget', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          mini: { provider: 'mock', model: MINI, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
        },
        budgets: [{ scope: 'key' as const, usd: '0.005', period: 'day' as const }],
      }),
    });
    mock.script(MINI, [
      { kind: 'success', servedModel: SONNET, usage: { prompt_tokens: 1000, completion_tokens: 100 } },
    ]);
    const { trace } = await router.chat(ask('mini', 'hi', { max_tokens: 10 }), { caller: { key: 'team' } });
    // Sonnet 4.6 at $3/M and $15/M: 1000 × 3e-6 + 100 × 15e-6; gpt-4o-mini would have been $0.00021.
    expect(trace.attempts[0]).toMatchObject({
      model: MINI,
      returnedModel: SONNET,
      costUsd: '0.0045',
      sentModelCostUsd: '0.00021',
      reportedCostUsd: '0.0045',
      costBasis: 'served_model',
      costMismatch: false,
    });
    expect(trace).toMatchObject({ costUsd: '0.0045', routeSurprise: true });
    const [entry] = await router.ledger.query({ key: 'team' });
    expect(entry).toMatchObject({
      model: MINI,
      servedModel: SONNET,
      costUsd: '0.0045',
      sentModelCostUsd: '0.00021',
      costBasis: 'served_model',
    });
    // The budget settled at the served price: $0.0005 is left, less than the next worst case.
    const refused = await rejectionOf(
      router.chat(ask('mini', 'hi', { max_tokens: 1000 }), { caller: { key: 'team' } }),
    );
    expect(refused).toMatchObject({ code: 'budget_exceeded' });
    expect((refused as unknown as RoutingError).budget?.spentUsd).toBe('0.0045');
  });

  it('settles an unknown substitute at the larger of its own figure and the plausible reported cost', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          mini: { provider: 'mock', model: MINI, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
        },
        costCheck: { maxReportedUsd: '0.5' },
      }),
    });
    mock.script(MINI, [
      {
        kind: 'success',
        servedModel: 'mystery/model-x',
        usage: { prompt_tokens: 1000, completion_tokens: 100, cost: 0.012 },
      },
      {
        kind: 'success',
        servedModel: 'mystery/model-x',
        usage: { prompt_tokens: 1000, completion_tokens: 100, cost: 0.0001 },
      },
      {
        kind: 'success',
        servedModel: 'mystery/model-x',
        usage: { prompt_tokens: 1000, completion_tokens: 100, cost: 900 },
      },
    ]);
    const higher = await router.chat(ask('mini'));
    expect(higher.trace.attempts[0]).toMatchObject({
      costUsd: '0.012',
      reportedCostUsd: '0.012',
      costBasis: 'served_unknown',
      costMismatch: true,
    });
    const lower = await router.chat(ask('mini'));
    expect(lower.trace.attempts[0]).toMatchObject({ costUsd: '0.00021', costBasis: 'served_unknown' });
    const absurd = await router.chat(ask('mini'));
    expect(absurd.trace.attempts[0]).toMatchObject({
      costUsd: '0.5',
      reportedCostUsd: '900',
      costBasis: 'served_unknown',
      costMismatch: true,
    });
    const entries = await router.ledger.query();
    expect(entries.map((entry) => [entry.costUsd, entry.costBasis])).toEqual([
      ['0.012', 'served_unknown'],
      ['0.00021', 'served_unknown'],
      ['0.5', 'served_unknown'],
    ]);
  });
});

describe('worst cases that hold', () => {
  it('prices every output token at the reasoning rate when it is the higher one', async () => {
    const { router } = await startFixture({
      config: () => ({
        models: { thinker: { provider: 'mock', model: THINKER, pricing: THINKER_PRICING } },
        maxCostPerRequest: '1',
      }),
      mock: { models: [...DEFAULT_MOCK_MODELS, THINKER_MODEL] },
    });
    const { trace } = await router.chat(ask('thinker', 'hi', { max_tokens: 1000 }));
    const prompt = trace.attempts[0]?.usage?.promptTokens ?? 0;
    expect(prompt).toBeGreaterThan(0);
    // prompt × $1/M + 1000 × $8/M (the reasoning rate), not 1000 × $2/M.
    expect(trace.attempts[0]?.worstCaseUsd).toBe(
      formatUsd(BigInt(prompt) * parseUsd('0.000001') + parseUsd('0.008')),
    );
  });

  it('prices the prompt at the cache-write rate when the request carries cache_control', async () => {
    const { router } = await startFixture({
      config: () => ({ models: { sonnet: { provider: 'mock', model: SONNET } }, maxCostPerRequest: '1' }),
    });
    const content = 'A long system prompt worth caching. '.repeat(20);
    const plain = await router.chat({
      model: 'sonnet',
      max_tokens: 10,
      messages: [{ role: 'user', content: [{ type: 'text', text: content }] }],
    });
    const cached = await router.chat({
      model: 'sonnet',
      max_tokens: 10,
      messages: [
        { role: 'user', content: [{ type: 'text', text: content, cache_control: { type: 'ephemeral' } }] },
      ] as never,
    });
    const prompt = plain.trace.attempts[0]?.usage?.promptTokens ?? 0;
    const output = 10n * parseUsd('0.000015');
    expect(plain.trace.attempts[0]?.worstCaseUsd).toBe(
      formatUsd(BigInt(prompt) * parseUsd('0.000003') + output),
    );
    // Sonnet writes its cache at $3.75/M, above its $3/M prompt rate.
    expect(cached.trace.attempts[0]?.worstCaseUsd).toBe(
      formatUsd(BigInt(prompt) * parseUsd('0.00000375') + output),
    );
  });

  it('keeps 100 concurrent reasoning requests within the budget', async () => {
    const budgetUsd = '0.05';
    const { router, mock } = await startFixture({
      config: () => ({
        models: { thinker: { provider: 'mock', model: THINKER, pricing: THINKER_PRICING } },
        budgets: [{ scope: 'global' as const, usd: budgetUsd, period: 'day' as const }],
      }),
      mock: { models: [...DEFAULT_MOCK_MODELS, THINKER_MODEL], latency: { fixedMs: 20 } },
    });
    // Every answer spends its whole max_tokens, 900 of them thinking.
    mock.script(THINKER, [
      { kind: 'success', times: 100, usage: { completion_tokens: 1000, reasoning_tokens: 900 } },
    ]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () => router.chat(ask('thinker', 'Think hard.', { max_tokens: 1000 }))),
    );
    const served = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const reason of refused) expect((reason as RoutingError).code).toBe('budget_exceeded');
    const entries = await router.ledger.query();
    const spent = entries.reduce((sum, entry) => sum + parseUsd(entry.costUsd), 0n);
    expect(spent).toBeLessThanOrEqual(parseUsd(budgetUsd));
    // Each answer cost prompt + 100 × $2/M + 900 × $8/M, exactly as the upstream reported.
    const attempt = served[0]?.trace.attempts[0];
    const prompt = BigInt(attempt?.usage?.promptTokens ?? 0);
    const each = prompt * parseUsd('0.000001') + 100n * parseUsd('0.000002') + 900n * parseUsd('0.000008');
    expect(attempt).toMatchObject({
      costUsd: formatUsd(each),
      reportedCostUsd: formatUsd(each),
      costMismatch: false,
    });
    expect(spent).toBe(each * BigInt(served.length));
    expect(mock.requests).toHaveLength(served.length);
  });
});

describe('count what was streamed', () => {
  it('charges a broken stream its prompt plus the completion tokens it delivered', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          mini: { provider: 'mock', model: MINI, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
        },
      }),
    });
    mock.setReply(MINI, 'Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.');
    const broken = async (afterChunks: number) => {
      mock.script(MINI, [{ kind: 'reset', afterChunks }]);
      const stream = await router.stream(ask('mini', 'Recite the Greek letters.'));
      const chunks: ChatChunk[] = [];
      const error = await rejectionOf(
        (async () => {
          for await (const chunk of stream) chunks.push(chunk);
        })(),
      );
      expect(error).toMatchObject({ code: 'stream_interrupted' });
      return { attempt: stream.trace.attempts[0], delivered: textOf(chunks) };
    };
    const short = await broken(2);
    const long = await broken(6);
    for (const { attempt } of [short, long])
      expect(attempt).toMatchObject({ costEstimated: true, costBasis: 'estimate' });
    // Same prompt, so the difference is the completion tokens delivered, at $0.60/M.
    const extra = BigInt(countTokens(long.delivered) - countTokens(short.delivered)) * parseUsd('0.0000006');
    expect(extra).toBeGreaterThan(0n);
    expect(parseUsd(long.attempt?.costUsd ?? '') - parseUsd(short.attempt?.costUsd ?? '')).toBe(extra);
    const entries = await router.ledger.query();
    expect(entries.map((entry) => [entry.costUsd, entry.estimated, entry.costBasis])).toEqual([
      [short.attempt?.costUsd, true, 'estimate'],
      [long.attempt?.costUsd, true, 'estimate'],
    ]);
  });

  it('charges a timed-out attempt its prompt by the tokenizer, as the upstream counts it', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          mini: { provider: 'mock', model: MINI, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
        },
        timeouts: { attemptMs: 1000 },
        retry: { maxAttempts: 1 },
      }),
      router: { clock },
    });
    const request = ask('mini', 'Explain the tokenizer, naïvely — with “quotes” and émojis 🙂.');
    const answered = await router.chat(request);
    const promptTokens = answered.trace.attempts[0]?.usage?.promptTokens ?? 0;
    mock.script(MINI, [{ kind: 'stall' }]);
    const timedOut = rejectionOf(router.chat(request));
    await mock.waitForRequests(2);
    clock.advance(1000);
    const error = (await timedOut) as unknown as RoutingError;
    expect(error.code).toBe('timeout');
    expect(error.trace.attempts[0]).toMatchObject({
      costEstimated: true,
      costUsd: formatUsd(BigInt(promptTokens) * parseUsd('0.00000015')),
    });
  });
});

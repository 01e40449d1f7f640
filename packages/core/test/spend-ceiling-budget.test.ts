import { describe, expect, it } from 'vitest';
import type { RoutingError } from '../src/errors/routing-error.js';
import { parseUsd } from '../src/pricing/money.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const models = {
  premium: {
    provider: 'mock',
    model: PREMIUM,
    pricing: { prompt: '0.000003', completion: '0.000015' },
    maxCompletionTokens: 64_000,
  },
  cheap: {
    provider: 'mock',
    model: CHEAP,
    pricing: { prompt: '0.00000012', completion: '0.0000003' },
    maxCompletionTokens: 16_384,
  },
};

describe('cost ceiling', () => {
  it('skips a target whose worst case is over the ceiling and serves from the cheaper one', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models,
        routes: { default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] } },
        maxCostPerRequest: '0.01',
      }),
    });
    const { trace } = await router.chat(ask('default', 'Summarize this.', { max_tokens: 1000 }));
    expect(trace.skipped).toHaveLength(1);
    expect(trace.skipped[0]).toMatchObject({ target: 'premium', reason: 'over_ceiling' });
    expect(trace.skipped[0]?.detail).toMatch(
      /^premium could cost up to \$0\.015\d* \(\d+ prompt \+ 1000 completion tokens\), over the ceiling of \$0\.01; lower max_tokens$/,
    );
    expect(trace.served?.target).toBe('cheap');
    // 1000 completion tokens × $0.0000003 plus a few prompt tokens × $0.00000012.
    const worst = parseUsd(trace.attempts[0]?.worstCaseUsd ?? '');
    expect(worst).toBeGreaterThan(parseUsd('0.0003'));
    expect(worst).toBeLessThan(parseUsd('0.000305'));
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP]);
  });

  it("prices an unset max_tokens at the model's maximum completion, and refuses before any call", async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models,
        routes: { default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] } },
        maxCostPerRequest: '0.001',
      }),
    });
    const error = await rejectionOf(router.chat(ask('default', 'Summarize this.')));
    expect(error).toMatchObject({ code: 'cost_ceiling', status: 402 });
    // 64,000 × $0.000015 = $0.96 worst case on premium; 16,384 × $0.0000003 ≈ $0.0049 on cheap.
    expect(error.message).toContain('premium could cost up to $0.96');
    expect(error.message).toContain('+ 16384 completion tokens');
    expect(mock.requests).toHaveLength(0);
  });

  it('takes a per-call ceiling', async () => {
    const { router } = await startFixture({ config: () => ({ models }) });
    const error = await rejectionOf(
      router.chat(ask('premium', 'hi', { max_tokens: 100 }), { maxCostUsd: '0.0001' }),
    );
    expect(error).toMatchObject({ code: 'cost_ceiling' });
  });
});

describe('budgets', () => {
  it('refuses with budget_exceeded, naming the budget, its spend and its reset time', async () => {
    const { router } = await startFixture({
      config: () => ({
        models,
        budgets: [{ scope: 'key' as const, match: 'team-a', usd: '0.001', period: 'day' as const }],
      }),
    });
    const caller = { key: 'team-a' };
    await router.chat(ask('cheap', 'hi', { max_tokens: 50 }), { caller });
    const error = (await rejectionOf(
      router.chat(ask('premium', 'hi', { max_tokens: 1000 }), { caller }),
    )) as unknown as RoutingError;
    expect(error).toMatchObject({ code: 'budget_exceeded', status: 402 });
    expect(error.budget).toMatchObject({ budget: 'key:team-a', limitUsd: '0.001', reservedUsd: '0' });
    expect(parseUsd(error.budget?.spentUsd ?? '')).toBeGreaterThan(0n);
    expect(error.budget?.resetsAt).toMatch(/T00:00:00\.000Z$/);
    expect(Number(error.headers['retry-after'])).toBeGreaterThan(0);
    expect(error.message).toContain('budget "key:team-a" of $0.001 per period has $');
    // Another key is not affected.
    await router.chat(ask('cheap', 'hi', { max_tokens: 50 }), { caller: { key: 'team-b' } });
  });

  it('keeps 100 concurrent requests within the budget: spend never passes it', async () => {
    const budgetUsd = '0.002';
    const { router, mock } = await startFixture({
      config: () => ({
        models,
        budgets: [{ scope: 'global' as const, usd: budgetUsd, period: 'day' as const }],
      }),
      mock: { latency: { fixedMs: 20 } },
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        router.chat(ask('cheap', 'Write one short sentence.', { max_tokens: 1000 })),
      ),
    );
    const served = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const outcome of refused) expect((outcome.reason as RoutingError).code).toBe('budget_exceeded');
    const entries = await router.ledger.query();
    const spent = entries.reduce((sum, entry) => sum + parseUsd(entry.costUsd), 0n);
    expect(spent).toBeLessThanOrEqual(parseUsd(budgetUsd));
    // Each admitted request reserved its worst case (1000 completion tokens), so at most
    // budget / worst case of them could be admitted; the upstream saw exactly those.
    const first = served[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof router.chat>>>;
    const worstCase = parseUsd(first.value.trace.attempts[0]?.worstCaseUsd ?? '');
    expect(worstCase).toBeGreaterThan(0n);
    expect(BigInt(served.length)).toBeLessThanOrEqual(parseUsd(budgetUsd) / worstCase);
    expect(mock.requests).toHaveLength(served.length);
  });

  it('counts budgets per user when no match is given, and takes budgets per call', async () => {
    const { router } = await startFixture({
      config: () => ({
        models,
        budgets: [{ scope: 'user' as const, usd: '0.0005', period: 'hour' as const }],
      }),
    });
    await router.chat(ask('cheap', 'hi', { max_tokens: 100, user: 'alice' }));
    await router.chat(ask('cheap', 'hi', { max_tokens: 100 }), { caller: { user: 'bob' } });
    const perCall = await rejectionOf(
      router.chat(ask('premium', 'hi', { max_tokens: 100 }), {
        budgets: [{ scope: 'global', usd: '0.0001', period: 'day', name: 'summaries' }],
      }),
    );
    expect(perCall).toMatchObject({ code: 'budget_exceeded' });
    expect(perCall.message).toContain('budget "summaries"');
  });
});

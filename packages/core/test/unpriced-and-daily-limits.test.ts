import { describe, expect, it } from 'vitest';
import type { RoutingError } from '../src/errors/routing-error.js';
import { parseUsd } from '../src/pricing/money.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

/** A model id the mock serves but neither the router's catalog nor its config prices. */
const RAW = 'mock/small-8k';
const BUDGET = { scope: 'key' as const, usd: '0.01', period: 'day' as const };

const spentBy = async (router: { ledger: { query(): Promise<Array<{ costUsd: string }>> } }) =>
  (await router.ledger.query()).reduce((sum, entry) => sum + parseUsd(entry.costUsd), 0n);

describe('unpriced models under money rules', () => {
  it('refuses 200 concurrent requests for an unpriced raw model id under a budget, naming the fix', async () => {
    const { router, mock } = await startFixture({ config: () => ({ budgets: [BUDGET] }) });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, () => router.chat(ask(RAW, 'hi'), { caller: { key: 'team' } })),
    );
    const errors = outcomes.map((outcome) =>
      outcome.status === 'rejected' ? (outcome.reason as RoutingError) : undefined,
    );
    expect(errors.every((error) => error?.code === 'unpriced_model' && error.status === 402)).toBe(true);
    expect(errors[0]?.message).toBe(
      `no target can serve this request: ${RAW}: ${RAW} (mock/${RAW}) has no price, so a budget cannot be enforced on it: price it (models.<alias>.pricing, or a catalog entry), declare its worst case (unpriced: { worstCaseUsd: "0.05" }) or exempt it (unpriced: allow)`,
    );
    expect(mock.requests).toHaveLength(0);
    expect(await spentBy(router)).toBe(0n);
    // A call that no budget counts (no key) is still served.
    const { trace } = await router.chat(ask(RAW, 'hi'));
    expect(trace.served?.model).toBe(RAW);
  });

  it('keeps 200 concurrent requests within the budget when the alias declares a worst case, however absurd the reported cost', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: { mystery: { provider: 'mock', model: RAW, unpriced: { worstCaseUsd: '0.002' } } },
        budgets: [BUDGET],
      }),
      mock: { latency: { fixedMs: 20 } },
    });
    mock.script(RAW, [{ kind: 'success', times: 200, usage: { cost: 1000 } }]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, () => router.chat(ask('mystery', 'hi'), { caller: { key: 'team' } })),
    );
    const served = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as RoutingError] : [],
    );
    // $0.01 / $0.002: five reservations fit at a time; each settles at no more than its worst case.
    expect(served.length).toBe(5);
    expect(refused.every((error) => error.code === 'budget_exceeded')).toBe(true);
    for (const { trace } of served) {
      expect(trace.attempts[0]).toMatchObject({
        worstCaseUsd: '0.002',
        costUsd: '0.002',
        reportedCostUsd: '1000',
        costMismatch: true,
        costBasis: 'reported',
      });
    }
    expect(await spentBy(router)).toBe(parseUsd('0.01'));
    expect(mock.requests).toHaveLength(5);
  });

  it('lets an unpriced alias through a ceiling only when it is exempt, and says so at start-up', async () => {
    const { router } = await startFixture({
      config: () => ({
        models: {
          strict: { provider: 'mock', model: RAW },
          exempt: { provider: 'mock', model: RAW, unpriced: 'allow' as const },
        },
        maxCostPerRequest: '0.01',
      }),
    });
    expect(await rejectionOf(router.chat(ask('strict')))).toMatchObject({
      code: 'unpriced_model',
      status: 402,
    });
    const { trace } = await router.chat(ask('exempt'));
    expect(trace.attempts[0]?.worstCaseUsd).toBeUndefined();
    expect(router.warnings).toEqual([
      'models.exempt.unpriced: allow — budgets and the cost ceiling do not apply to unpriced targets there',
    ]);
  });
});

describe('daily limits on OpenRouter’s calendar', () => {
  const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
  const PAID = 'meta-llama/llama-3.3-70b-instruct';
  const config = () => ({
    models: {
      free: { provider: 'mock', model: FREE },
      paid: { provider: 'mock', model: PAID },
    },
    routes: { chat: { strategy: 'fallback' as const, targets: ['free', 'paid'] } },
    limits: [{ scope: 'model' as const, match: '*:free', rpd: 2 }],
  });

  it('starts a :free day over at midnight UTC and hands the rest of the day to the paid variant', async () => {
    // 23:00 UTC.
    const clock = createFakeClock({ start: Date.parse('2026-12-01T23:00:00.000Z') });
    const { router } = await startFixture({ config, router: { clock } });
    const served = async () => (await router.chat(ask('chat'))).trace;
    expect((await served()).served?.target).toBe('free');
    expect((await served()).served?.target).toBe('free');
    const third = await served();
    expect(third.served?.target).toBe('paid');
    expect(third.skipped).toEqual([
      expect.objectContaining({ target: 'free', reason: 'rate_limit', retryAfterMs: 3_600_000 }),
    ]);
    clock.advance(3_600_000);
    expect((await served()).served?.target).toBe('free');
  });

  it('skips a target the upstream rate-limited until its X-RateLimit-Reset', async () => {
    const clock = createFakeClock({ start: Date.now() });
    const { router, mock } = await startFixture({
      config: () => ({ ...config(), limits: [{ scope: 'model' as const, match: '*:free', rpm: 20 }] }),
      router: { clock },
    });
    const reset = clock.now() + 40_000;
    mock.script(FREE, [{ kind: 'error', status: 429, retryAfterSeconds: null, rateLimitResetMs: reset }]);
    const first = await router.chat(ask('chat'));
    expect(first.trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['free', 'rate_limited'],
      ['paid', 'success'],
    ]);
    const second = await router.chat(ask('chat'));
    expect(second.trace.attempts.map((attempt) => attempt.target)).toEqual(['paid']);
    expect(second.trace.skipped).toEqual([expect.objectContaining({ target: 'free', reason: 'rate_limit' })]);
    expect(mock.requests.filter((request) => request.model === FREE)).toHaveLength(1);
  });
});

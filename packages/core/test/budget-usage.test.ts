import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import { ask, startFixture } from './support/fixture.js';

const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const models = {
  cheap: {
    provider: 'mock',
    model: CHEAP,
    pricing: { prompt: '0.00000012', completion: '0.0000003' },
    maxCompletionTokens: 16_384,
  },
};

describe('router.budgetUsage', () => {
  it("reports each budget's spend and what is left in its period, and the ledger keeps each attempt's latency", async () => {
    const { router } = await startFixture({
      config: () => ({
        models,
        routes: { default: { strategy: 'fallback' as const, targets: ['cheap'] } },
        budgets: [
          { scope: 'global' as const, usd: '1', period: 'day' as const, name: 'all' },
          { scope: 'key' as const, usd: '0.5', period: 'hour' as const },
          { scope: 'route' as const, match: 'other', usd: '2', period: 'month' as const },
        ],
      }),
    });
    const { trace } = await router.chat(ask('default', 'Hello there.', { max_tokens: 50 }), {
      caller: { key: 'team-a' },
    });
    const cost = parseUsd(trace.costUsd);
    expect(cost).toBeGreaterThan(0n);

    const usage = await router.budgetUsage({ values: { key: ['team-a', 'team-b'] } });
    const byName = (budget: string, value: string) =>
      usage.find((entry) => entry.budget === budget && entry.value === value);
    expect(byName('all', '*')).toMatchObject({
      scope: 'global',
      period: 'day',
      limitUsd: '1',
      spentUsd: trace.costUsd,
      reservedUsd: '0',
      remainingUsd: formatUsd(parseUsd('1') - cost),
    });
    expect(byName('key', 'team-a')).toMatchObject({ spentUsd: trace.costUsd, limitUsd: '0.5' });
    expect(byName('key', 'team-b')).toMatchObject({ spentUsd: '0', remainingUsd: '0.5' });
    // A plain match has its one counter, whatever values are given.
    expect(byName('route:other', 'other')).toMatchObject({ spentUsd: '0', remainingUsd: '2' });
    expect(Date.parse(byName('key', 'team-a')?.resetsAt ?? '')).toBeGreaterThan(Date.now());

    const [entry] = await router.ledger.query();
    expect(entry?.latencyMs).toBe(trace.attempts[0]?.latencyMs);
    expect(entry?.latencyMs).toBeGreaterThan(0);
  });
});

describe('router.rateLimitUsage', () => {
  it('reads each limit’s counters without counting, a :free model’s day by the calendar', async () => {
    const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
    const { router } = await startFixture({
      config: () => ({
        models: { free: { provider: 'mock', model: FREE, pricing: { prompt: '0', completion: '0' } } },
        routes: { default: { strategy: 'fallback' as const, targets: ['free'] } },
        limits: [
          { scope: 'model' as const, match: '*:free', rpm: 5, rpd: 10 },
          { scope: 'key' as const, rpm: 3, name: 'per key' },
        ],
      }),
    });
    for (let index = 0; index < 2; index += 1) {
      await router.chat(ask('default', `Hello ${index}.`), { caller: { key: 'team-a' } });
    }
    const read = () => router.rateLimitUsage({ values: { model: [FREE], key: ['team-a', 'team-b'] } });
    const usage = await read();
    const row = (limit: string, value: string, counter: string) =>
      usage.find((entry) => entry.limit === limit && entry.value === value && entry.counter === counter);
    expect(row('model:*:free', FREE, 'rpm')).toMatchObject({
      window: 'rolling',
      used: 2,
      allowed: 5,
      remaining: 3,
    });
    expect(row('model:*:free', FREE, 'rpd')).toMatchObject({
      window: 'utc-day',
      used: 2,
      allowed: 10,
      remaining: 8,
    });
    expect(row('per key', 'team-a', 'rpm')).toMatchObject({ used: 2, remaining: 1 });
    expect(row('per key', 'team-a', 'rpm')?.resetsInMs).toBeGreaterThan(0);
    expect(row('per key', 'team-b', 'rpm')).toMatchObject({ used: 0, remaining: 3, resetsInMs: 0 });
    // Reading counted nothing.
    expect(await read()).toEqual(usage.map((entry) => ({ ...entry, resetsInMs: expect.any(Number) })));
  });
});

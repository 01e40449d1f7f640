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

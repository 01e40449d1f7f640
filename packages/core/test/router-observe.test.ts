import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import type { RoutingTrace } from '../src/trace/routing-trace.js';
import { ask, startFixture } from './support/fixture.js';

const MODEL = 'meta-llama/llama-3.3-70b-instruct';
const config = () => ({
  models: { cheap: { provider: 'mock', model: MODEL } },
  routes: { default: { strategy: 'fallback' as const, targets: ['cheap'] } },
  budgets: [
    { name: 'everyone', scope: 'global' as const, usd: '5', period: 'day' as const },
    { name: 'team-a', scope: 'key' as const, match: 'team-a', usd: '1', period: 'month' as const },
    { name: 'each key', scope: 'key' as const, usd: '1', period: 'day' as const },
  ],
});

describe('router.observe and router.budgets', () => {
  it('tells observers added after creation, after the configured hooks, until they are removed', async () => {
    const told: string[] = [];
    const { router } = await startFixture({
      config,
      router: { hooks: { onResult: () => told.push('configured') } },
    });
    const stop = router.observe({
      onAttempt: (attempt) => told.push(`attempt ${attempt.outcome}`),
      onResult: (trace: RoutingTrace) => told.push(`result ${trace.route}`),
    });
    // A throwing observer changes nothing for the others, nor for the call.
    router.observe({
      onResult: () => {
        throw new Error('broken observer');
      },
    });
    const { trace } = await router.chat(ask('default'));
    expect(trace.served?.model).toBe(MODEL);
    expect(told).toEqual(['attempt success', 'configured', 'result default']);
    stop();
    await router.chat(ask('default'));
    expect(told).toEqual(['attempt success', 'configured', 'result default', 'configured']);
  });

  it('reports what each single-bucket budget has left, exactly', async () => {
    const { router } = await startFixture({ config });
    const { trace } = await router.chat(ask('default'), { caller: { key: 'team-a' } });
    const left = (limit: string) => formatUsd(parseUsd(limit) - parseUsd(trace.costUsd));
    expect(
      (await router.budgetUsage()).map(({ budget, limitUsd, remainingUsd }) => ({
        budget,
        limitUsd,
        remainingUsd,
      })),
    ).toEqual([
      { budget: 'everyone', limitUsd: '5', remainingUsd: left('5') },
      { budget: 'team-a', limitUsd: '1', remainingUsd: left('1') },
    ]);
  });
});

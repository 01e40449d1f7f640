import { describe, expect, it } from 'vitest';
import { ask, startFixture } from './support/fixture.js';

const SLOW = 'anthropic/claude-sonnet-4.6';
const FAST = 'openai/gpt-4o-mini';

const hedgeConfig = () => ({
  models: {
    slow: { provider: 'mock', model: SLOW, pricing: { prompt: '0.000003', completion: '0.000015' } },
    fast: { provider: 'mock', model: FAST, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
  },
  routes: { race: { strategy: 'hedge' as const, targets: ['slow', 'fast'], hedgeAfterMs: 100 } },
});

describe('hedged route', () => {
  it('returns the faster answer and aborts the slower upstream request', async () => {
    const { router, mock } = await startFixture({ config: hedgeConfig });
    mock.script(SLOW, [{ kind: 'success', delayMs: 3000 }]);
    const started = performance.now();
    const { trace } = await router.chat(ask('race'));
    expect(performance.now() - started).toBeLessThan(2500);
    expect(trace.hedged).toBe(true);
    expect(trace.served?.target).toBe('fast');
    const loser = trace.attempts.find((attempt) => attempt.target === 'slow');
    expect(loser).toMatchObject({ outcome: 'aborted', hedgeLoser: true, costEstimated: true });
    // The loser's prompt was billed upstream, so its estimated cost is part of the total.
    expect(Number(loser?.costUsd)).toBeGreaterThan(0);
    expect(Number(trace.costUsd)).toBeGreaterThan(
      Number(trace.attempts.find((a) => a.target === 'fast')?.costUsd),
    );
    await mock.waitForSettled();
    const slowRequest = mock.requests.find((request) => request.model === SLOW);
    expect(slowRequest?.aborted).toBe(true);
  });

  it('does not hedge when the first target answers in time', async () => {
    const { router, mock } = await startFixture({ config: hedgeConfig });
    const { trace } = await router.chat(ask('race'));
    expect(trace.hedged).toBe(false);
    expect(trace.served?.target).toBe('slow');
    expect(mock.requests).toHaveLength(1);
  });

  it('starts the next target at once when the first fails', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        ...hedgeConfig(),
        routes: { race: { strategy: 'hedge' as const, targets: ['slow', 'fast'], hedgeAfterMs: 5000 } },
      }),
    });
    mock.script(SLOW, [{ kind: 'error', status: 503 }]);
    const started = performance.now();
    const { trace } = await router.chat(ask('race'));
    expect(performance.now() - started).toBeLessThan(4000);
    expect(trace.served?.target).toBe('fast');
    expect(trace.fallback).toBe(true);
  });
});

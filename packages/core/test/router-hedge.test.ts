import { describe, expect, it } from 'vitest';
import { createFakeClock } from './support/fake-clock.js';
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
    const clock = createFakeClock();
    const { router, mock } = await startFixture({ config: hedgeConfig, router: { clock } });
    mock.script(SLOW, [{ kind: 'success', delayMs: 3000 }]);
    const answer = router.chat(ask('race'));
    await mock.waitForRequests(1);
    clock.advance(99);
    expect(mock.requests).toHaveLength(1);
    clock.advance(1);
    const { trace } = await answer;
    // The hedge started at exactly hedgeAfterMs; the slow attempt was aborted then.
    expect(trace.latencyMs).toBe(100);
    expect(trace.hedged).toBe(true);
    expect(trace.served?.target).toBe('fast');
    const loser = trace.attempts.find((attempt) => attempt.target === 'slow');
    expect(loser).toMatchObject({
      outcome: 'aborted',
      hedgeLoser: true,
      costEstimated: true,
      latencyMs: 100,
    });
    // The loser's prompt was billed upstream, so its estimated cost is part of the total.
    expect(Number(loser?.costUsd)).toBeGreaterThan(0);
    expect(Number(trace.costUsd)).toBeGreaterThan(
      Number(trace.attempts.find((a) => a.target === 'fast')?.costUsd),
    );
    await mock.waitForSettled();
    const slowRequest = mock.requests.find((request) => request.model === SLOW);
    expect(slowRequest?.aborted).toBe(true);
  });

  it('does not start a second target in parallel when the request says allow_fallbacks: false', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({ config: hedgeConfig, router: { clock } });
    mock.script(SLOW, [{ kind: 'success', delayMs: 300 }]);
    const answer = router.chat(ask('race', 'Only one.', { provider: { allow_fallbacks: false } }));
    await mock.waitForRequests(1);
    clock.advance(1000);
    const { trace } = await answer;
    expect(trace.hedged).toBe(false);
    expect(trace.served?.target).toBe('slow');
    expect(mock.requests.map((request) => request.model)).toEqual([SLOW]);
  });

  it('does not hedge when the first target answers in time', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({ config: hedgeConfig, router: { clock } });
    const { trace } = await router.chat(ask('race'));
    expect(trace.hedged).toBe(false);
    expect(trace.served?.target).toBe('slow');
    expect(mock.requests).toHaveLength(1);
    expect(trace.latencyMs).toBe(0);
  });

  it('starts the next target at once when the first fails', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({
        ...hedgeConfig(),
        routes: { race: { strategy: 'hedge' as const, targets: ['slow', 'fast'], hedgeAfterMs: 5000 } },
      }),
      router: { clock },
    });
    mock.script(SLOW, [{ kind: 'error', status: 503 }]);
    const { trace } = await router.chat(ask('race'));
    // No time passed: the failure started the next target, not the 5 s hedge timer.
    expect(trace.latencyMs).toBe(0);
    expect(trace.served?.target).toBe('fast');
    expect(trace.fallback).toBe(true);
  });
});

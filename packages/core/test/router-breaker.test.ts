import { describe, expect, it } from 'vitest';
import { createFakeClock } from './support/fake-clock.js';
import { ask, startFixture } from './support/fixture.js';

const FLAKY = 'openai/gpt-4o-mini';
const BACKUP = 'deepseek/deepseek-chat';

describe('circuit breaker in the router', () => {
  it('opens after repeated failures, skips the target, then half-opens and closes on a good probe', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({
        models: { flaky: { provider: 'mock', model: FLAKY }, backup: { provider: 'mock', model: BACKUP } },
        routes: { default: { strategy: 'fallback' as const, targets: ['flaky', 'backup'] } },
        breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 10_000 },
      }),
      router: { clock },
    });
    mock.script(FLAKY, [{ kind: 'error', status: 502, times: 2 }]);
    await router.chat(ask('default'));
    await router.chat(ask('default'));
    expect(router.breakerStates()[`mock/${FLAKY}`]).toBe('open');

    const skipped = await router.chat(ask('default'));
    expect(skipped.trace.skipped).toEqual([{ target: 'flaky', reason: 'breaker_open' }]);
    expect(skipped.trace.attempts.map((attempt) => attempt.target)).toEqual(['backup']);
    expect(mock.requests.map((request) => request.model)).toEqual([FLAKY, BACKUP, FLAKY, BACKUP, BACKUP]);

    clock.advance(10_000);
    expect(router.breakerStates()[`mock/${FLAKY}`]).toBe('half_open');
    const probe = await router.chat(ask('default'));
    expect(probe.trace.served?.target).toBe('flaky');
    expect(router.breakerStates()[`mock/${FLAKY}`]).toBe('closed');
  });

  it('does not count client errors or validator rejections against a target', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({
        models: { flaky: { provider: 'mock', model: FLAKY }, backup: { provider: 'mock', model: BACKUP } },
        routes: {
          default: { strategy: 'fallback' as const, targets: ['flaky', 'backup'], validate: { json: true } },
        },
        breaker: { failureThreshold: 2 },
      }),
      router: { clock },
    });
    mock.setReply(FLAKY, 'not json');
    mock.setReply(BACKUP, '{"ok": true}');
    mock.script(FLAKY, [{ kind: 'error', status: 403 }]);
    for (let index = 0; index < 3; index += 1) await router.chat(ask('default'));
    expect(router.breakerStates()[`mock/${FLAKY}`]).toBe('closed');
  });
});

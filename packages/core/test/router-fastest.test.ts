import type { MockUpstream } from '@switchyard/mock-upstream';
import { describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../src/clock.js';
import type { Router } from '../src/router/create-router.js';
import { ask, startFixture } from './support/fixture.js';

const A = 'openai/gpt-4o-mini';
const B = 'meta-llama/llama-3.3-70b-instruct';

const fastestConfig = () => ({
  models: {
    a: { provider: 'mock', model: A },
    b: { provider: 'mock', model: B },
    other: { provider: 'mock', model: 'google/gemini-2.5-flash' },
  },
  routes: { fast: { strategy: 'fastest' as const, targets: ['a', 'b'] } },
});

/** From now on, `a` answers after `aMs` and `b` after `bMs` (before the first byte). */
function pace(mock: MockUpstream, aMs: number, bMs: number): void {
  mock.reset();
  mock.script(A, [{ kind: 'success', delayMs: aMs, times: 10_000 }]);
  mock.script(B, [{ kind: 'success', delayMs: bMs, times: 10_000 }]);
}

/**
 * Sends `count` requests to `fast` one after the other; returns the target that served each (from
 * its trace).
 */
async function send(router: Router, count: number, between?: () => void): Promise<string[]> {
  const served: string[] = [];
  for (let index = 0; index < count; index += 1) {
    between?.();
    const { trace } = await router.chat(ask('fast'));
    served.push(trace.served?.target ?? 'none');
  }
  return served;
}

/**
 * 1-based number of the request from which `target` serves nine in a row (the other target's
 * probe takes the tenth): where traffic has moved to it. 0: it never has.
 */
function movedTo(served: readonly string[], target: string): number {
  for (let start = 0; start + 9 <= served.length; start += 1) {
    if (served.slice(start, start + 9).every((name) => name === target)) return start + 1;
  }
  return 0;
}

/**
 * A fresh process answers its first requests slowly (connections, JIT): warm it through a model
 * outside the route, so that what the route measures is the upstream's pace.
 */
async function warmUp(router: Router): Promise<void> {
  for (let index = 0; index < 5; index += 1) await router.chat(ask('other'));
}

/**
 * The bound on how many requests a recovered target waits: one probe in 10 requests, and each
 * probe moves its estimate at least a fifth of the way from the slow pace (100 ms) to the
 * recovered one (5 ms); it wins once under the other's 30 ms. ceil(ln(95 / 25) / ln(1.25)) = 6
 * probes, so N = 60.
 */
const N = 10 * Math.ceil(Math.log((100 - 5) / (30 - 5)) / Math.log(1 / 0.8));

describe('fastest route against the mock upstream', () => {
  it('follows the fast target when it turns slow, and gives it back its traffic when it recovers', async () => {
    const { router, mock } = await startFixture({ config: fastestConfig });
    await warmUp(router);
    pace(mock, 5, 30);
    const warm = await send(router, 12);
    expect(warm.slice(0, 2)).toEqual(['a', 'b']);
    expect(movedTo(warm, 'a')).toBeLessThanOrEqual(3);

    pace(mock, 100, 30);
    const slow = await send(router, 25);
    // Two or three slow answers take a past b (whose estimate still carries its cold first
    // samples); from then on a gets one probe in 10.
    const left = movedTo(slow, 'b');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(6);
    expect(slow.slice(left - 1).filter((name) => name === 'a').length).toBeLessThanOrEqual(2);

    pace(mock, 5, 30);
    const recovered = await send(router, N + 10);
    // a's estimate is about 60 ms here: four probes (request 37 in a steady run), at most N.
    const back = movedTo(recovered, 'a');
    expect(N).toBe(60);
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThanOrEqual(N);
    const after = recovered.slice(back - 1);
    expect(after.filter((name) => name === 'a').length).toBeGreaterThanOrEqual(after.length * 0.85);
  });

  it('forgets faster after a quiet spell: one probe wins the target back', async () => {
    // The system clock, with a test-controlled jump between requests (never during one).
    let skew = 0;
    const clock: Clock = { ...systemClock, monotonic: () => systemClock.monotonic() + skew };
    const { router, mock } = await startFixture({ config: fastestConfig, router: { clock } });
    await warmUp(router);
    const quiet = () => {
      skew += 3000;
    };
    pace(mock, 5, 30);
    await send(router, 12, quiet);
    pace(mock, 100, 30);
    await send(router, 25, quiet);
    pace(mock, 5, 30);
    const recovered = await send(router, 25, quiet);
    // Probes 30 s (three half-lives) apart: the first 5 ms sample carries nine tenths of the
    // weight, so one probe wins a back (two, should that one be slowed by a busy machine).
    const back = movedTo(recovered, 'a');
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThanOrEqual(21);
  });
});

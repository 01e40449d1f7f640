import type { MockUpstream } from '@switchyard/mock-upstream';
import { describe, expect, it } from 'vitest';
import { ask, MINI, PAID, type Replica, startFleet, startMock } from './fleet-fixture.js';

/** From now on, `a` answers after `aMs` and `b` after `bMs` (before the first byte). */
function pace(mock: MockUpstream, aMs: number, bMs: number): void {
  mock.reset();
  mock.script(MINI, [{ kind: 'success', delayMs: aMs, times: 10_000 }]);
  mock.script(PAID, [{ kind: 'success', delayMs: bMs, times: 10_000 }]);
}

/** Sends `count` requests to `fast` on one replica; returns the target that served each. */
async function send(replica: Replica, count: number): Promise<string[]> {
  const served: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { trace } = await replica.router.chat(ask('fast'));
    served.push(trace.served?.target ?? 'none');
  }
  return served;
}

/** 1-based number of the request from which `target` serves nine in a row (0: never). */
function movedTo(served: readonly string[], target: string): number {
  for (let start = 0; start + 9 <= served.length; start += 1) {
    if (served.slice(start, start + 9).every((name) => name === target)) return start + 1;
  }
  return 0;
}

const PULL_MS = 100;
/**
 * How many requests a recovered target may wait (as in the core's test): a probe every 10, six
 * probes to bring an estimate from 100 ms under 30 ms at 5 ms a sample, plus the few requests of
 * one pull before the fleet's estimate comes back.
 */
const N = 10 * Math.ceil(Math.log((100 - 5) / (30 - 5)) / Math.log(1 / 0.8)) + 3;

describe('fastest over a fleet sharing one Redis', () => {
  it('gives a recovered target its traffic back on a replica that never probed it', async () => {
    const mock = await startMock();
    const [first, second] = await startFleet({
      count: 2,
      mock,
      config: {
        models: {
          a: { provider: 'mock', model: MINI },
          b: { provider: 'mock', model: PAID },
          other: { provider: 'mock', model: 'google/gemini-2.5-flash' },
        },
        routes: { fast: { strategy: 'fastest', targets: ['a', 'b'] } },
      },
      store: { latencyPullMs: PULL_MS },
    });
    if (first === undefined || second === undefined) throw new Error('no fleet');
    // Warm both processes (connections, JIT) outside the route, so the route measures the upstream.
    for (const replica of [first, second]) {
      for (let index = 0; index < 5; index += 1) await replica.router.chat(ask('other'));
    }
    const pull = () => new Promise((resolve) => setTimeout(resolve, 3 * PULL_MS));

    pace(mock, 5, 30);
    await send(first, 12);
    await pull();
    pace(mock, 100, 30);
    // Alone this leaves within 3–6 requests; on a loaded machine the fleet's estimate, pulled back
    // every 100 ms, can hold the old value a few requests longer, so the bound is the recovery's N.
    const left = movedTo(await send(first, N + 10), 'b');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(N);
    await pull();
    // The second replica follows the fleet's estimate: b from its first request (a probe aside).
    const moved = await send(second, 10);
    expect(moved[0]).toBe('b');
    expect(moved.filter((name) => name === 'b').length).toBeGreaterThanOrEqual(9);

    pace(mock, 5, 30);
    // Only the first replica sees a recover, by its probes; the fleet's estimate learns from them.
    const recovered = await send(first, N + 10);
    const back = movedTo(recovered, 'a');
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThanOrEqual(N);
    await pull();
    const elsewhere = await send(second, 10);
    expect(elsewhere[0]).toBe('a');
    expect(elsewhere.filter((name) => name === 'a').length).toBeGreaterThanOrEqual(9);
  });
});

import { describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../../../test/support/fake-clock.js';
import { resolveConfig } from '../../config/resolve-config.js';
import { orderTargets } from '../order-targets.js';
import { profileRequest } from '../request-profile.js';
import type { ModelTarget, RouteTarget } from '../target.js';
import { createTargetRegistry } from '../target-registry.js';

const context = {
  profile: profileRequest({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
  random: () => 0.5,
};

type Name = 'a' | 'b';
/** Who served one request, and whether it came first as a probe (not the best estimate). */
type Served = { name: Name; probe: boolean };

/**
 * A `fastest` route over `a` and `b` on a fake clock, and a way to send it `count` requests
 * `gapMs` apart, each served by the first target in `latency[target]` ms.
 */
function fastestRoute(clock: FakeClock) {
  const registry = createTargetRegistry({
    resolved: resolveConfig({
      providers: { up: { baseURL: 'http://127.0.0.1:1/api/v1' } },
      models: { a: { provider: 'up', model: 'mock/a' }, b: { provider: 'up', model: 'mock/b' } },
      routes: { fast: { strategy: 'fastest', targets: ['a', 'b'] } },
    }),
    catalog: [],
    clock,
    validators: {},
  });
  const route = registry.routes.get('fast') as RouteTarget;
  const estimate = (name: Name) => (registry.models.get(name) as ModelTarget).health.latency.value();
  return (options: { count: number; gapMs: number; latency: Record<Name, number> }): Served[] =>
    Array.from({ length: options.count }, () => {
      clock.advance(options.gapMs);
      const [a, b] = [estimate('a'), estimate('b')];
      const best: Name | undefined = a === undefined || b === undefined ? undefined : a <= b ? 'a' : 'b';
      const first = orderTargets(route, context)[0] as ModelTarget;
      const name = first.name as Name;
      first.health.latency.record(options.latency[name]);
      return { name, probe: best !== undefined && name !== best };
    });
}

/** 1-based index of the last request `name` served as the best estimate (0: none). */
const lastBest = (served: readonly Served[], name: Name): number =>
  served.findLastIndex((one) => one.name === name && !one.probe) + 1;
/** 1-based index of the first request `name` served as the best estimate (0: none). */
const firstBest = (served: readonly Served[], name: Name): number =>
  served.findIndex((one) => one.name === name && !one.probe) + 1;
const probes = (served: readonly Served[]): number => served.filter((one) => one.probe).length;

describe('fastest order', () => {
  it('follows the fast target when it turns slow, and gives it back its traffic when it recovers', () => {
    const clock = createFakeClock();
    const send = fastestRoute(clock);
    const warm = send({ count: 20, gapMs: 50, latency: { a: 5, b: 30 } });
    // Both measured first, then a, with b tried once in every 10.
    expect(warm.slice(0, 2).map((one) => one.name)).toEqual(['a', 'b']);
    expect(lastBest(warm.slice(2), 'b')).toBe(0);
    expect(probes(warm)).toBe(1);

    const slow = send({ count: 40, gapMs: 50, latency: { a: 100, b: 30 } });
    // Two samples of 100 ms take a (5 ms) past b (30 ms): traffic leaves within 3 requests (one
    // of them b's probe); from then on a only gets probes.
    expect(lastBest(slow, 'a')).toBe(3);
    expect(slow.filter((one) => one.name === 'a' && !one.probe)).toHaveLength(2);
    expect(slow.filter((one) => one.name === 'a' && one.probe)).toHaveLength(3);

    const recovered = send({ count: 60, gapMs: 50, latency: { a: 5, b: 30 } });
    // a's estimate is about 74 ms by now. A probe every 10 requests (0.5 s) folds in a 5 ms
    // sample: 58, 46, 37, 29.5 ms; the fourth takes it under b's 30 ms.
    const back = firstBest(recovered, 'a');
    expect(back).toBe(34);
    expect(probes(recovered.slice(0, back))).toBe(4);
    expect(lastBest(recovered, 'b')).toBeLessThan(back);
  });

  it('lets time do the forgetting under light traffic: one probe wins a target back', () => {
    const clock = createFakeClock();
    const send = fastestRoute(clock);
    send({ count: 20, gapMs: 2000, latency: { a: 5, b: 30 } });
    send({ count: 40, gapMs: 2000, latency: { a: 100, b: 30 } });
    const recovered = send({ count: 30, gapMs: 2000, latency: { a: 5, b: 30 } });
    // Probes 20 s (two half-lives) apart: the old estimate keeps 0.8 x 0.25 of its weight.
    const back = firstBest(recovered, 'a');
    expect(probes(recovered.slice(0, back))).toBe(1);
    expect(back).toBeLessThanOrEqual(11);
  });
});

import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../test/support/fake-clock.js';
import { resolveConfig } from '../../config/resolve-config.js';
import type { Target } from '../target.js';
import { createTargetRegistry } from '../target-registry.js';
import { probeOrder } from './probe-order.js';

/** Real compiled targets `a`, `b`, `c` (the probe only needs their identity). */
function targets(): Target[] {
  const { models } = createTargetRegistry({
    resolved: resolveConfig({
      providers: { up: { baseURL: 'http://127.0.0.1:1/api/v1' } },
      models: {
        a: { provider: 'up', model: 'mock/a' },
        b: { provider: 'up', model: 'mock/b' },
        c: { provider: 'up', model: 'mock/c' },
      },
    }),
    catalog: [],
    clock: createFakeClock(),
    validators: {},
  });
  return ['a', 'b', 'c'].map((name) => models.get(name) as Target);
}

/** The first target's name of each of `count` orderings of the same best-first order. */
function firsts(order: readonly Target[], count: number, every?: number): string[] {
  return Array.from({ length: count }, () => probeOrder(order, every)[0]?.name as string);
}

describe('probe order', () => {
  it('puts the other of two targets first once in every 10 orderings', () => {
    const [a, b] = targets() as [Target, Target];
    const seen = firsts([a, b], 100);
    const probes = seen.flatMap((name, index) => (name === 'b' ? [index + 1] : []));
    expect(probes).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('tries each of k targets at least once every 10 x (k - 1) orderings, probes taking 1 in 10', () => {
    const all = targets();
    const seen = firsts(all, 210);
    for (const name of ['b', 'c']) {
      const at = seen.flatMap((first, index) => (first === name ? [index] : []));
      expect(at).toHaveLength(10);
      const gaps = at.slice(1).map((index, position) => index - (at[position] as number));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(20);
    }
    expect(seen.filter((name) => name !== 'a')).toHaveLength(20);
  });

  it('keeps the order behind a probe, and honours the share it is given', () => {
    const [a, b, c] = targets() as [Target, Target, Target];
    let order: Target[] = [];
    for (let index = 0; index < 4; index += 1) order = probeOrder([a, b, c], 2);
    expect(order.map((target) => target.name)).toEqual(['b', 'a', 'c']);
    expect(firsts([a, b, c], 50, 0).every((name) => name === 'a')).toBe(true);
  });

  it('counts a target as tried when it came first on its merits', () => {
    const [a, b] = targets() as [Target, Target];
    for (let index = 0; index < 8; index += 1) probeOrder([a, b]);
    probeOrder([b, a]);
    // b came first on its own: its wait starts again, so the next nine are a's.
    expect(firsts([a, b], 10)).toEqual([...Array(9).fill('a'), 'b']);
  });
});

import { describe, expect, it } from 'vitest';
import { createLatencySampler } from './latency-profile.js';
import { createSeededRandom } from './seeded-random.js';

/** `count` draws from a fresh sampler. */
function draws(options: { seed: number; count: number }): number[] {
  const sample = createLatencySampler({
    profile: { medianMs: 100, p99Ms: 1_000 },
    random: createSeededRandom({ seed: options.seed, stream: 2 }),
  });
  return Array.from({ length: options.count }, () => sample());
}

describe('createLatencySampler', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    expect(draws({ seed: 1, count: 50 })).toEqual(draws({ seed: 1, count: 50 }));
    expect(draws({ seed: 2, count: 50 })).not.toEqual(draws({ seed: 1, count: 50 }));
  });

  it('matches the median and the 99th percentile', () => {
    const sorted = draws({ seed: 11, count: 20_000 }).sort((a, b) => a - b);
    expect(sorted[10_000]).toBeGreaterThan(90);
    expect(sorted[10_000]).toBeLessThan(110);
    expect(sorted[19_800]).toBeGreaterThan(800);
    expect(sorted[19_800]).toBeLessThan(1_250);
  });

  it('returns the fixed value, or 0 without a profile', () => {
    const random = createSeededRandom({ seed: 1, stream: 0 });
    expect(createLatencySampler({ profile: { fixedMs: 25 }, random })()).toBe(25);
    expect(createLatencySampler({ profile: undefined, random })()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { createLatencyEstimate, foldLatency } from './latency-estimate.js';

const settings = { weight: 0.2, halfLifeMs: 10_000 };

describe('latency estimate', () => {
  it('averages its first samples, then moves a fifth of the way per sample', () => {
    const clock = createFakeClock();
    const latency = createLatencyEstimate({ clock });
    expect(latency.value()).toBeUndefined();
    latency.record(80);
    expect(latency.value()).toBe(80);
    // A cold first sample: the second already carries 0.2 / 0.36 of the weight, not a fifth.
    latency.record(10);
    expect(latency.value()).toBeCloseTo(80 - (70 * 0.2) / 0.36, 9);
    for (let index = 0; index < 50; index += 1) latency.record(10);
    expect(latency.value()).toBeCloseTo(10, 3);
    latency.record(110);
    expect(latency.value()).toBeCloseTo(30, 3);
  });

  it('lets what it knows count less with time: half as much after one half-life', () => {
    const clock = createFakeClock();
    const latency = createLatencyEstimate({ clock, halfLifeMs: 10_000 });
    latency.set(100);
    clock.advance(10_000);
    latency.record(200);
    // The old estimate keeps 0.8 x 0.5 of the weight against 0.2 for the new sample.
    expect(latency.value()).toBeCloseTo((100 * 0.4 + 200 * 0.2) / 0.6, 9);
    clock.advance(100_000);
    latency.record(10);
    // Ten half-lives later, what was known before counts for almost nothing.
    expect(latency.value()).toBeLessThan(10.5);
  });

  it('takes the fleet estimate at full weight, as of now', () => {
    const clock = createFakeClock();
    const latency = createLatencyEstimate({ clock, weight: 0.5 });
    latency.record(100);
    clock.advance(60_000);
    latency.set(40);
    expect(latency.value()).toBe(40);
    latency.record(20);
    expect(latency.value()).toBeCloseTo(30, 9);
  });

  it('folds a batch of n samples as n samples in a row', () => {
    const clock = createFakeClock();
    const one = createLatencyEstimate({ clock });
    one.set(100);
    for (let index = 0; index < 3; index += 1) one.record(40);
    const batch = foldLatency({ value: 100, weight: 1 }, { mean: 40, count: 3, elapsedMs: 0 }, settings);
    expect(batch.value).toBeCloseTo(one.value() as number, 9);
    expect(batch.weight).toBeCloseTo(1, 12);
    // A clock that stepped back does not make old samples count more.
    const back = foldLatency({ value: 100, weight: 1 }, { mean: 40, count: 1, elapsedMs: -500 }, settings);
    expect(back.value).toBeCloseTo(88, 9);
  });
});

import type { RandomSource } from './seeded-random.js';

/**
 * Delay before the first byte of each chat response: a constant, or a seeded log-normal
 * distribution given by its median and 99th percentile.
 * @example { medianMs: 300, p99Ms: 2_000 }
 */
export type LatencyProfile =
  | {
      /** Every response waits exactly this long. */
      fixedMs: number;
    }
  | {
      /** Median delay in milliseconds. */
      medianMs: number;
      /** 99th-percentile delay in milliseconds (at least the median). */
      p99Ms: number;
    };

/** z-score of the 99th percentile of a standard normal distribution. */
const Z_99 = 2.326_347_874_040_840_8;

/** Options of {@link createLatencySampler}. */
export interface LatencySamplerOptions {
  /** The profile; absent means no delay. */
  profile: LatencyProfile | undefined;
  /** Seeded source of randomness. */
  random: RandomSource;
}

/** Returns a function that draws one delay in whole milliseconds per call. */
export function createLatencySampler(options: LatencySamplerOptions): () => number {
  const { profile, random } = options;
  if (profile === undefined) return () => 0;
  if ('fixedMs' in profile) {
    assertNonNegative(profile.fixedMs, 'latency.fixedMs');
    return () => profile.fixedMs;
  }
  assertNonNegative(profile.medianMs, 'latency.medianMs');
  assertNonNegative(profile.p99Ms, 'latency.p99Ms');
  if (profile.p99Ms < profile.medianMs) {
    throw new RangeError(
      `latency.p99Ms (${profile.p99Ms}) must be at least latency.medianMs (${profile.medianMs}).`,
    );
  }
  if (profile.medianMs === 0) return () => 0;
  const mu = Math.log(profile.medianMs);
  const sigma = Math.log(profile.p99Ms / profile.medianMs) / Z_99;
  return () => {
    // Box-Muller; 1 - random() keeps the logarithm finite.
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(Math.exp(mu + sigma * normal));
  };
}

/** Throws a RangeError unless the value is a finite number ≥ 0. */
function assertNonNegative(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a number ≥ 0, got ${value}.`);
}

import type { Clock } from '../clock.js';

/** Default weight of the newest sample under steady traffic. */
export const LATENCY_SAMPLE_WEIGHT = 0.2;

/**
 * Default half-life of what an estimate knows: after 10 s without a sample it counts half as much
 * against the next one (Finagle's peak-EWMA decays over the same 10 s).
 */
export const LATENCY_HALF_LIFE_MS = 10_000;

/**
 * A moving estimate of a target's latency, for the `fastest` strategy: an exponentially weighted
 * average whose older samples also fade with time ({@link foldLatency}).
 */
export interface LatencyEstimate {
  /**
   * Records one attempt's latency in ms. The router records each success's time to answer (or to
   * its first chunk). A timed-out attempt is slow, not unknown: record it with the time it was
   * given.
   */
  record(ms: number): void;
  /** The current estimate in ms, or undefined before the first sample. */
  value(): number | undefined;
  /** Replaces the estimate with the fleet's (from a shared store), at full weight as of now. */
  set(ms: number): void;
}

/** Options of {@link createLatencyEstimate}. */
export interface LatencyEstimateOptions {
  /** Ages the samples (its monotonic time). */
  clock: Pick<Clock, 'monotonic'>;
  /**
   * Weight of the newest sample under steady traffic, in (0, 1].
   * @default 0.2
   */
  weight?: number;
  /**
   * How long until what the estimate knows counts half as much against a new sample.
   * @default 10000
   */
  halfLifeMs?: number;
}

/** What an estimate knows: its value, and how much weight it carries (0 to 1). */
export interface LatencyState {
  /** The estimate in ms. */
  value: number;
  /** 0 before any sample, towards 1 under steady traffic; fades with time. */
  weight: number;
}

/**
 * Folds `count` samples with mean `mean` ms, taken `elapsedMs` after the last fold, into `state`
 * (undefined before any sample). An exponentially weighted average that keeps its own weight
 * (debiased, as Adam's moments are), so that:
 * - under steady traffic each sample moves the estimate `weight` of the way (a fifth);
 * - the first samples are averaged rather than the first one holding four fifths of the weight,
 *   so one cold sample (a new connection, a cold process) does not decide the order;
 * - the weight halves every `halfLifeMs`, so after a quiet spell the first new sample outweighs
 *   what was known before it.
 * `@switchyard/redis` folds the fleet's estimate with the same formula, in a script.
 */
export function foldLatency(
  state: LatencyState | undefined,
  samples: { mean: number; count: number; elapsedMs: number },
  settings: { weight: number; halfLifeMs: number },
): LatencyState {
  const kept = (1 - settings.weight) ** samples.count;
  const old =
    state === undefined ? 0 : state.weight * 0.5 ** (Math.max(0, samples.elapsedMs) / settings.halfLifeMs);
  const weight = kept * old + (1 - kept);
  const value = ((state?.value ?? 0) * kept * old + samples.mean * (1 - kept)) / weight;
  return { value, weight };
}

/**
 * Creates a {@link LatencyEstimate} on the given clock.
 * @example
 * const latency = createLatencyEstimate({ clock: systemClock });
 * latency.record(120);
 */
export function createLatencyEstimate(options: LatencyEstimateOptions): LatencyEstimate {
  const { clock } = options;
  const settings = {
    weight: options.weight ?? LATENCY_SAMPLE_WEIGHT,
    halfLifeMs: options.halfLifeMs ?? LATENCY_HALF_LIFE_MS,
  };
  let state: LatencyState | undefined;
  let sampledAt = 0;
  return {
    record(ms) {
      const now = clock.monotonic();
      state = foldLatency(state, { mean: ms, count: 1, elapsedMs: now - sampledAt }, settings);
      sampledAt = now;
    },
    value: () => state?.value,
    set(ms) {
      state = { value: ms, weight: 1 };
      sampledAt = clock.monotonic();
    },
  };
}

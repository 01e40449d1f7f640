/** A moving estimate of a target's latency (exponentially weighted), for the `fastest` strategy. */
export interface LatencyEstimate {
  /** Records one successful attempt's latency in ms. */
  record(ms: number): void;
  /** The current estimate in ms, or undefined before the first sample. */
  value(): number | undefined;
  /** Replaces the estimate (with the fleet's, from a shared store). */
  set(ms: number): void;
}

/**
 * Creates a {@link LatencyEstimate}: an exponentially weighted moving average.
 * @param weight weight of the newest sample, in (0, 1]; default 0.2
 */
export function createLatencyEstimate(weight = 0.2): LatencyEstimate {
  let estimate: number | undefined;
  return {
    record(ms) {
      estimate = estimate === undefined ? ms : estimate + weight * (ms - estimate);
    },
    value: () => estimate,
    set(ms) {
      estimate = ms;
    },
  };
}

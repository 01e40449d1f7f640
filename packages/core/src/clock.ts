/** Time, injectable so that tests can drive backoff, breakers and latency estimates. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** A monotonic millisecond reading for durations. */
  monotonic(): number;
  /**
   * Resolves after `ms`, or rejects with the signal's reason when `signal` aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The system clock: `Date.now`, `performance.now` and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Randomness in [0, 1), injectable for deterministic tests. */
export type Random = () => number;

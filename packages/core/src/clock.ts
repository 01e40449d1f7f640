/**
 * Time, injectable so that tests drive every timer of the router (deadlines, attempt timeouts,
 * hedging, stalls, backoff, breakers, latency estimates) instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** A monotonic millisecond reading for durations. */
  monotonic(): number;
  /**
   * Calls `fire` once, `ms` from now on this clock's monotonic time, unless the returned function
   * is called first. The timer never keeps the process alive.
   */
  schedule(ms: number, fire: () => void): () => void;
  /**
   * Resolves after `ms`, or rejects with the signal's reason when `signal` aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The system clock: `Date.now`, `performance.now` and real (unreferenced) timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  schedule(ms, fire) {
    const timer = setTimeout(fire, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
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

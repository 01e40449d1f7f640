import type { Clock } from '../../src/clock.js';

/** A Clock for tests: time moves only when the test says so; `sleep` records its delays. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[];
}

/** Creates a {@link FakeClock}. With `instantSleep`, `sleep` advances time and resolves at once. */
export function createFakeClock(options: { start?: number; instantSleep?: boolean } = {}): FakeClock {
  let now = options.start ?? 1_700_000_000_000;
  let monotonic = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    monotonic: () => monotonic,
    sleeps,
    advance(ms) {
      now += ms;
      monotonic += ms;
    },
    async sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) throw signal.reason;
      if (options.instantSleep !== false) {
        now += ms;
        monotonic += ms;
      }
    },
  };
}

import type { Clock } from '../../src/clock.js';

/** A Clock for tests: time moves only when the test says so; `sleep` records its delays. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing every timer that falls due, in order of their due times. */
  advance(ms: number): void;
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[];
  /** How many scheduled timers are waiting to fire. */
  readonly pending: number;
}

interface Timer {
  at: number;
  order: number;
  fire: () => void;
}

/**
 * Creates a {@link FakeClock}. With `instantSleep` (the default), `sleep` advances time (firing
 * the timers that fall due) and resolves at once; without, it waits for `advance`.
 */
export function createFakeClock(options: { start?: number; instantSleep?: boolean } = {}): FakeClock {
  const start = options.start ?? 1_700_000_000_000;
  let monotonic = 0;
  let order = 0;
  const timers = new Set<Timer>();
  const sleeps: number[] = [];

  const schedule = (ms: number, fire: () => void): (() => void) => {
    const timer: Timer = { at: monotonic + Math.max(0, ms), order: order++, fire };
    timers.add(timer);
    return () => {
      timers.delete(timer);
    };
  };
  const advance = (ms: number): void => {
    const target = monotonic + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of timers) {
        if (
          timer.at <= target &&
          (next === undefined || timer.at < next.at || (timer.at === next.at && timer.order < next.order))
        )
          next = timer;
      }
      if (next === undefined) break;
      timers.delete(next);
      monotonic = Math.max(monotonic, next.at);
      next.fire();
    }
    monotonic = target;
  };

  return {
    now: () => start + monotonic,
    monotonic: () => monotonic,
    schedule,
    advance,
    sleeps,
    get pending() {
      return timers.size;
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (options.instantSleep !== false) {
        advance(ms);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          cancel();
          reject(signal?.reason);
        };
        const cancel = schedule(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

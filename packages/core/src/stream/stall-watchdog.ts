import type { Clock } from '../clock.js';

/** Options of {@link startStallWatchdog}. */
export interface StallWatchdogOptions {
  /** Silence that counts as a stall, in ms. */
  stallMs: number;
  /** Whose monotonic time and timers to use. */
  clock: Pick<Clock, 'monotonic' | 'schedule'>;
  /** Called once when the stream stalls. */
  onStall: () => void;
}

/** Watches a stream for silence; `touch()` on every event; one timer, re-armed only when it fires. */
export interface StallWatchdog {
  touch(): void;
  stop(): void;
}

/** Starts a {@link StallWatchdog}. */
export function startStallWatchdog(options: StallWatchdogOptions): StallWatchdog {
  const { clock } = options;
  let last = clock.monotonic();
  let cancel: (() => void) | undefined;
  const arm = (ms: number): void => {
    cancel = clock.schedule(ms, () => {
      const silent = clock.monotonic() - last;
      if (silent >= options.stallMs) {
        cancel = undefined;
        options.onStall();
      } else arm(options.stallMs - silent);
    });
  };
  arm(options.stallMs);
  return {
    touch() {
      last = clock.monotonic();
    },
    stop() {
      cancel?.();
      cancel = undefined;
    },
  };
}

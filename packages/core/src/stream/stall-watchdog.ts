/** Options of {@link startStallWatchdog}. */
export interface StallWatchdogOptions {
  /** Silence that counts as a stall, in ms. */
  stallMs: number;
  /** A monotonic ms reading. */
  now: () => number;
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
  let last = options.now();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number): void => {
    timer = setTimeout(() => {
      const silent = options.now() - last;
      if (silent >= options.stallMs) {
        timer = undefined;
        options.onStall();
      } else arm(options.stallMs - silent);
    }, ms);
    timer.unref?.();
  };
  arm(options.stallMs);
  return {
    touch() {
      last = options.now();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

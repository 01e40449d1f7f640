import type { Clock } from '../clock.js';

/** Runs callbacks at deadlines with a single timer, however many deadlines are pending. */
export interface DeadlineScheduler {
  /** Calls `fire` in `ms` unless cancelled first; returns the cancel function. */
  schedule(ms: number, fire: () => void): () => void;
}

interface Entry {
  at: number;
  fire: () => void;
}

/**
 * Creates a {@link DeadlineScheduler} on a clock. Per-request timers cost measurable latency in
 * Node; with uniform timeouts each new deadline is later than the armed one, so scheduling is a
 * set insert and the one timer is re-armed only when it fires.
 */
export function createDeadlineScheduler(clock: Pick<Clock, 'monotonic' | 'schedule'>): DeadlineScheduler {
  const entries = new Set<Entry>();
  let disarm: (() => void) | undefined;
  let armedAt = Number.POSITIVE_INFINITY;

  const arm = (at: number): void => {
    disarm?.();
    armedAt = at;
    disarm = clock.schedule(Math.max(0, Math.ceil(at - clock.monotonic())), run);
  };
  const run = (): void => {
    disarm = undefined;
    armedAt = Number.POSITIVE_INFINITY;
    const current = clock.monotonic();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of entries) {
      if (entry.at <= current) {
        entries.delete(entry);
        entry.fire();
      } else if (entry.at < next) next = entry.at;
    }
    if (next !== Number.POSITIVE_INFINITY) arm(next);
  };

  return {
    schedule(ms, fire) {
      const entry: Entry = { at: clock.monotonic() + ms, fire };
      entries.add(entry);
      if (entry.at < armedAt) arm(entry.at);
      return () => {
        entries.delete(entry);
      };
    },
  };
}

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
 * Creates a {@link DeadlineScheduler}. Per-request timers cost measurable latency in Node; with
 * uniform timeouts each new deadline is later than the armed one, so scheduling is a set insert
 * and the one timer is re-armed only when it fires.
 */
export function createDeadlineScheduler(now: () => number = () => performance.now()): DeadlineScheduler {
  const entries = new Set<Entry>();
  let timer: NodeJS.Timeout | undefined;
  let armedAt = Number.POSITIVE_INFINITY;

  const arm = (at: number): void => {
    if (timer !== undefined) clearTimeout(timer);
    armedAt = at;
    timer = setTimeout(run, Math.max(0, Math.ceil(at - now())));
    timer.unref();
  };
  const run = (): void => {
    timer = undefined;
    armedAt = Number.POSITIVE_INFINITY;
    const current = now();
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
      const entry: Entry = { at: now() + ms, fire };
      entries.add(entry);
      if (entry.at < armedAt) arm(entry.at);
      return () => {
        entries.delete(entry);
      };
    },
  };
}

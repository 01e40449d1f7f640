import type { LoggedRequest } from './logged-request.js';

/** Bounded, ordered log of requests with waiters for a given count. */
export interface RequestLog {
  /** Appends an entry, dropping the oldest beyond the capacity. */
  add(entry: LoggedRequest): void;
  /** Entries, oldest first (a copy). */
  entries(): readonly LoggedRequest[];
  /** Empties the log (pending waiters keep waiting for new entries). */
  clear(): void;
  /** Resolves with the entries once the log holds at least `count` of them. */
  waitFor(count: number, timeoutMs: number): Promise<readonly LoggedRequest[]>;
}

/** Options of {@link createRequestLog}. */
export interface RequestLogOptions {
  /** Largest number of entries kept. */
  maxEntries: number;
}

/** A ring buffer of {@link LoggedRequest}s. */
export function createRequestLog(options: RequestLogOptions): RequestLog {
  const capacity = Math.max(1, Math.floor(options.maxEntries));
  let ring: LoggedRequest[] = [];
  let start = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];

  const entries = (): LoggedRequest[] =>
    ring.length < capacity ? ring.slice() : [...ring.slice(start), ...ring.slice(0, start)];

  return {
    add(entry) {
      if (ring.length < capacity) ring.push(entry);
      else {
        ring[start] = entry;
        start = (start + 1) % capacity;
      }
      if (waiters.length === 0) return;
      const ready = waiters.filter((waiter) => waiter.count <= ring.length);
      waiters = waiters.filter((waiter) => waiter.count > ring.length);
      for (const waiter of ready) waiter.resolve();
    },
    entries,
    clear() {
      ring = [];
      start = 0;
    },
    waitFor(count, timeoutMs) {
      if (count > capacity) {
        return Promise.reject(
          new RangeError(`Cannot wait for ${count} requests: the log keeps at most ${capacity}.`),
        );
      }
      if (ring.length >= count) return Promise.resolve(entries());
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(entries());
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((candidate) => candidate !== waiter);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${count} requests; the log holds ${ring.length}.`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
}

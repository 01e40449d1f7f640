import {
  type LedgerEntry,
  type LedgerFilter,
  matchesLedgerFilter,
  type SpendLedger,
  StoreUnavailableError,
} from '@switchyard/core';
import { createLedgerTrimmer, type LedgerTrim } from './ledger-trim.js';
import type { RedisConnection } from './redis-connection.js';
import type { WriteCombiner } from './write-combiner.js';

const PAGE = 1000;

/** Appends by this replica between two trims of a bounded stream. */
const TRIM_EVERY = 64;

/** The unique id of one entry: its request and attempt. */
const entryId = (entry: LedgerEntry): string => `${entry.requestId}#${entry.attempt}`;

/**
 * The spend ledger as a Redis stream: every replica appends to one stream, so a report sees the
 * whole fleet. An append is one XADD (a replay is read back once: entries are keyed by request and
 * attempt); the router awaits
 * it before the caller gets the answer, so a request that completed is in the stream. Entries
 * that cannot reach Redis are kept in memory and written when it is back: none is dropped.
 */
export function createRedisLedger(
  connection: RedisConnection,
  options: {
    writes: WriteCombiner;
    awaitWrites?: boolean;
    /** Bounds of the stream; none (it grows until trimmed by hand) when absent. */
    trim?: LedgerTrim;
  },
): SpendLedger & {
  buffered(): number;
  drain(): Promise<void>;
  /** Applies the bounds now (a no-op without `trim`); resolves to the entries removed. */
  trim(): Promise<number>;
  /** Entries the fleet trimmed from the stream so far (counted in Redis beside it). */
  trimmed(): Promise<number>;
} {
  const { redis, prefix } = connection;
  const stream = `${prefix}:ledger`;
  const buffer: LedgerEntry[] = [];
  const trimmer = createLedgerTrimmer(connection, { stream, trim: options.trim ?? {} });
  let sinceTrim = 0;
  let trimming: Promise<number> | undefined;
  const trim = (): Promise<number> => {
    if (options.trim === undefined) return Promise.resolve(0);
    trimming ??= trimmer.trim().finally(() => {
      trimming = undefined;
    });
    return trimming;
  };
  // Every replica trims after its own TRIM_EVERY appends, in the background: the stream may hold a
  // few dozen entries over its cap between two trims, never an uncounted loss.
  const wrote = (): void => {
    sinceTrim += 1;
    if (options.trim === undefined || sinceTrim < TRIM_EVERY) return;
    sinceTrim = 0;
    trim().catch((error: unknown) => connection.failed('ledger trim', error));
  };

  // A plain XADD (no script): an entry replayed after a lost reply is written twice, and
  // `query` keeps one per request and attempt, so the ledger never counts it twice.
  const write = (entry: LedgerEntry): Promise<unknown> =>
    options.writes.append(stream, entryId(entry), JSON.stringify(entry));

  const flush = async (): Promise<void> => {
    while (buffer.length > 0 && connection.available()) {
      const next = buffer[0] as LedgerEntry;
      try {
        await write(next);
        buffer.shift();
      } catch (error) {
        connection.failed('ledger replay', error);
        return;
      }
    }
  };
  connection.onReady(() => {
    if (buffer.length > 0)
      connection.log('info', `writing ${buffer.length} buffered ledger entries to Redis`);
    void flush();
  });

  return {
    append(entry) {
      if (buffer.length > 0 || !connection.available()) {
        buffer.push(entry);
        return;
      }
      const written = write(entry).then(
        () => wrote(),
        (error: unknown) => {
          connection.failed('ledger append', error);
          buffer.push(entry);
        },
      );
      // In the background, nothing is returned: the router has nothing to wait for.
      return options.awaitWrites === false ? undefined : written;
    },

    async query(filter: LedgerFilter = {}) {
      const entries: LedgerEntry[] = [];
      const seen = new Set<string>();
      let start = '-';
      try {
        for (;;) {
          const page = await redis.xrange(stream, start, '+', 'COUNT', PAGE);
          for (const [id, fields] of page) {
            start = `(${id}`;
            const json = fields[fields.indexOf('e') + 1];
            if (json === undefined) continue;
            const entry = JSON.parse(json) as LedgerEntry;
            const unique = entryId(entry);
            if (seen.has(unique)) continue;
            seen.add(unique);
            if (matchesLedgerFilter(entry, filter)) entries.push(entry);
          }
          if (page.length < PAGE) break;
        }
      } catch (error) {
        throw new StoreUnavailableError({
          message: `the ledger (Redis) did not answer: ${connection.describe(error)}`,
          cause: error,
        });
      }
      // Entries buffered during an outage are part of the ledger too.
      for (const entry of buffer) if (matchesLedgerFilter(entry, filter)) entries.push(entry);
      return entries;
    },

    buffered: () => buffer.length,
    drain: flush,
    trim,
    trimmed: () => trimmer.trimmed(),
  };
}

import type { ScriptedRedis } from './redis-connection.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
interface Settlement extends Pending {
  keys: readonly string[];
  id: string;
  actual: string;
}
interface Append extends Pending {
  stream: string;
  entryId: string;
  json: string;
}

/**
 * The writes that end an attempt, its budget settlement and its ledger entry, are issued in the
 * same turn of the event loop; this sends each such pair as one script call instead of two
 * commands (one less script run in Redis and one less reply to parse, per request).
 */
export interface WriteCombiner {
  /** Settles reservation `id` in the bucket hashes `keys` with `actual` picodollars. */
  settle(keys: readonly string[], id: string, actual: string): Promise<unknown>;
  /** Appends a ledger entry (`id`, `e` fields) to the stream. */
  append(stream: string, entryId: string, json: string): Promise<unknown>;
}

/** Creates a {@link WriteCombiner} over one connection. */
export function createWriteCombiner(redis: ScriptedRedis): WriteCombiner {
  let settlements: Settlement[] = [];
  let appends: Append[] = [];
  let scheduled = false;

  const send = (promise: Promise<unknown>, ...waiting: Pending[]): void => {
    promise.then(
      (value) => {
        for (const pending of waiting) pending.resolve(value);
      },
      (error: unknown) => {
        for (const pending of waiting) pending.reject(error);
      },
    );
  };
  const flush = (): void => {
    scheduled = false;
    const settling = settlements;
    const appending = appends;
    settlements = [];
    appends = [];
    const pairs = Math.min(settling.length, appending.length);
    for (let index = 0; index < pairs; index += 1) {
      const settlement = settling[index] as Settlement;
      const append = appending[index] as Append;
      send(
        redis.sySettleAndAppend(
          settlement.keys.length + 1,
          ...settlement.keys,
          append.stream,
          settlement.id,
          settlement.actual,
          append.entryId,
          append.json,
        ),
        settlement,
        append,
      );
    }
    for (const settlement of settling.slice(pairs)) {
      send(
        redis.sySettle(settlement.keys.length, ...settlement.keys, settlement.id, settlement.actual),
        settlement,
      );
    }
    for (const append of appending.slice(pairs)) {
      send(redis.xadd(append.stream, '*', 'id', append.entryId, 'e', append.json), append);
    }
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  return {
    settle(keys, id, actual) {
      return new Promise((resolve, reject) => {
        settlements.push({ keys, id, actual, resolve, reject });
        schedule();
      });
    },
    append(stream, entryId, json) {
      return new Promise((resolve, reject) => {
        appends.push({ stream, entryId, json, resolve, reject });
        schedule();
      });
    },
  };
}

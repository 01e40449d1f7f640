import type { StateWrite, StateWriter } from './state-writer.js';

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

/**
 * Creates a {@link WriteCombiner} over one connection's state writer (all its writes are on one
 * Cluster slot, so they may share a pipeline and a `WAIT`).
 */
export function createWriteCombiner(write: StateWriter): WriteCombiner {
  let settlements: Settlement[] = [];
  let appends: Append[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    const settling = settlements;
    const appending = appends;
    settlements = [];
    appends = [];
    const writes: StateWrite[] = [];
    const waiting: Pending[][] = [];
    const pairs = Math.min(settling.length, appending.length);
    for (let index = 0; index < pairs; index += 1) {
      const settlement = settling[index] as Settlement;
      const append = appending[index] as Append;
      writes.push({
        command: 'sySettleAndAppend',
        args: [
          settlement.keys.length + 1,
          ...settlement.keys,
          append.stream,
          settlement.id,
          settlement.actual,
          append.entryId,
          append.json,
        ],
      });
      waiting.push([settlement, append]);
    }
    for (const settlement of settling.slice(pairs)) {
      writes.push({
        command: 'sySettle',
        args: [settlement.keys.length, ...settlement.keys, settlement.id, settlement.actual],
      });
      waiting.push([settlement]);
    }
    for (const append of appending.slice(pairs)) {
      writes.push({ command: 'xadd', args: [append.stream, '*', 'id', append.entryId, 'e', append.json] });
      waiting.push([append]);
    }
    write(writes).forEach((reply, index) => {
      const pending = waiting[index] ?? [];
      reply.then(
        (value) => {
          for (const one of pending) one.resolve(value);
        },
        (error: unknown) => {
          for (const one of pending) one.reject(error);
        },
      );
    });
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

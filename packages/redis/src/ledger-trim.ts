import type { RedisConnection } from './redis-connection.js';

/** How far the Redis ledger stream is trimmed: the config's `ledger` section. */
export interface LedgerTrim {
  /** Stream entries kept at most (exact `XTRIM MAXLEN`). */
  maxEntries?: number;
  /** Stream entries older than this many seconds (by their stream id, Redis's clock) are trimmed. */
  retentionSeconds?: number;
}

/**
 * Trims the stream and counts what it removed in one step, so that no entry leaves uncounted even
 * if the replica dies halfway. KEYS: the stream, its trimmed counter. ARGV: max entries (0: no
 * cap), retention ms (0: no window). Returns the entries removed by this call.
 */
const TRIM_LEDGER = `local removed = 0
if tonumber(ARGV[2]) > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  removed = removed + redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d', now - tonumber(ARGV[2])) .. '-0')
end
if tonumber(ARGV[1]) > 0 then
  removed = removed + redis.call('XTRIM', KEYS[1], 'MAXLEN', ARGV[1])
end
if removed > 0 then redis.call('INCRBY', KEYS[2], removed) end
return removed`;

interface TrimmingRedis {
  syTrimLedger(stream: string, counter: string, maxEntries: number, retentionMs: number): Promise<number>;
}

/** Throws a `RangeError` naming the first bound that is not a positive integer. */
export function checkLedgerTrim(trim: LedgerTrim): void {
  for (const [name, value] of Object.entries(trim)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RangeError(`ledger ${name} must be a positive integer, got ${String(value)}`);
    }
  }
}

/** The key of the count of entries trimmed from `stream` (beside it, so a hash tag covers both). */
export const trimmedKey = (stream: string): string => `${stream}:trimmed`;

/**
 * A trimmer of the ledger stream: `trim()` applies the bounds once (every replica may call it; the
 * script is atomic, so each removed entry is counted once), `trimmed()` reads the fleet's count.
 */
export function createLedgerTrimmer(
  connection: RedisConnection,
  input: { stream: string; trim: LedgerTrim },
): { trim(): Promise<number>; trimmed(): Promise<number> } {
  checkLedgerTrim(input.trim);
  const { maxEntries = 0, retentionSeconds = 0 } = input.trim;
  const redis = connection.redis as unknown as TrimmingRedis & RedisConnection['redis'];
  if (typeof redis.syTrimLedger !== 'function') {
    redis.defineCommand('syTrimLedger', { lua: TRIM_LEDGER, numberOfKeys: 2 });
  }
  const counter = trimmedKey(input.stream);
  return {
    trim: () => redis.syTrimLedger(input.stream, counter, maxEntries, retentionSeconds * 1000),
    async trimmed() {
      return Number((await redis.get(counter)) ?? 0);
    },
  };
}

import type { AnswerCache } from '@switchyard/core';
import type { RedisConnection } from './redis-connection.js';

/** The largest value stored unless the store is told otherwise: 1 MiB. */
const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

/**
 * The fleet's answer cache in Redis: one string per answer under `<prefix>:cache:<hash>` (the key
 * is the router's SHA-256 of the request and scope, so no prompt or key name is readable from
 * it), written with `SET … PX` so Redis expires it, and at most `maxValueBytes` per value. Every
 * replica reads what any replica stored. While Redis is down, or when a command fails, a read is a
 * miss and a write is dropped: the request goes upstream as if nothing were cached.
 */
export function createRedisAnswerCache(
  connection: RedisConnection,
  options: { maxValueBytes?: number } = {},
): AnswerCache {
  const { redis, prefix } = connection;
  const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  const keyOf = (key: string): string => `${prefix}:cache:${key}`;
  return {
    kind: 'redis',
    async get(key) {
      if (!connection.available()) return undefined;
      try {
        return (await redis.get(keyOf(key))) ?? undefined;
      } catch (error) {
        connection.failed('cache read', error);
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      if (!connection.available() || Buffer.byteLength(value) > maxValueBytes) return;
      try {
        await redis.set(keyOf(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
      } catch (error) {
        connection.failed('cache write', error);
      }
    },
  };
}

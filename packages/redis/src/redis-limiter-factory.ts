import type { LimiterFactory } from '@switchyard/core';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisConnection } from './redis-connection.js';

/**
 * Rate-limit counters in Redis through rate-limiter-flexible's own Redis limiter (one atomic
 * script per count), so a 20-per-minute limit holds for the fleet. Fail open: while Redis is down
 * each replica counts in memory (its insurance limiter); fail closed: the count fails and the
 * router answers 503.
 */
export function createRedisLimiterFactory(connection: RedisConnection): LimiterFactory {
  return ({ points, durationSeconds, keyPrefix }) =>
    new RateLimiterRedis({
      storeClient: connection.redis,
      points,
      duration: durationSeconds,
      keyPrefix: connection.keys.limiter(keyPrefix),
      rejectIfRedisNotReady: true,
      ...(connection.failMode === 'open'
        ? { insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix }) }
        : {}),
    });
}

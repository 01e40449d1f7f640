import type { HealthLink, HealthSync, SharedBreakerSettings } from '@switchyard/core';
import type { RedisConnection } from './redis-connection.js';

/** Options of {@link createRedisHealthSync}. */
export interface HealthSyncOptions {
  /** How often the fleet's latency estimates are read, in ms. @default 1000 */
  latencyPullMs?: number;
  /** Weight of the newest latency sample in the fleet's moving average. @default 0.2 */
  latencyWeight?: number;
  /**
   * How long until the fleet's latency estimate of a target counts half as much against new
   * samples (the core's default for local estimates).
   * @default 10000
   */
  latencyHalfLifeMs?: number;
}

/**
 * Breaker state and latency estimates shared through Redis. Breakers still decide locally, with
 * no round trip on the hot path: failures are counted fleet-wide by a script that opens the
 * breaker at the threshold and publishes it; every replica subscribes and opens its own at once
 * (and reads the open breakers again after each reconnect, and once a second: a message missed,
 * opening or closing, while a subscription was not up or while ioredis's Cluster subscriber moved
 * to another node, costs at most that second). Latency samples are averaged locally
 * and folded into a shared moving average once a second (a batch of n weighs as n samples, and
 * the average ages on Redis's clock), when each replica also reads it back.
 */
export function createRedisHealthSync(
  connection: RedisConnection,
  options: HealthSyncOptions = {},
): HealthSync & { close(): void } {
  const { redis, keys } = connection;
  const channel = keys.healthChannel;
  const breakersKey = keys.breakers;
  const latencyKey = keys.latency;
  const failuresKey = keys.breakerFailures;
  const weight = options.latencyWeight ?? 0.2;
  const halfLifeMs = options.latencyHalfLifeMs ?? 10_000;
  let link: HealthLink | undefined;
  let breaker: SharedBreakerSettings | undefined;
  let timer: NodeJS.Timeout | undefined;
  const ignore = (what: string) => (error: unknown) => connection.failed(what, error);

  // Breakers this replica opened because the fleet did: one gone from Redis was closed fleet-wide.
  const openedByFleet = new Set<string>();
  const open = (key: string, remainingMs: number): void => {
    openedByFleet.add(key);
    link?.openBreaker(key, remainingMs);
  };
  const close = (key: string): void => {
    openedByFleet.delete(key);
    link?.closeBreaker(key);
  };
  const loadBreakers = async (): Promise<void> => {
    if (link === undefined || breaker === undefined) return;
    // Only those known before the read: one opened while it is under way is not in its answer.
    const known = [...openedByFleet];
    const [now, ...fields] = await redis.syBreakerState(breakersKey);
    const inRedis = new Set<string>();
    for (let index = 0; index + 1 < fields.length; index += 2) {
      const key = fields[index] as string;
      inRedis.add(key);
      const remaining = breaker.cooldownMs - (Number(now) - Number(fields[index + 1]));
      if (remaining > 0) open(key, remaining);
    }
    for (const key of known) if (!inRedis.has(key)) close(key);
  };
  // Samples are batched: one mean per target per tick rather than a command per request.
  const samples = new Map<string, { sum: number; count: number }>();
  const syncLatency = async (): Promise<void> => {
    if (link === undefined || !connection.available()) return;
    for (const [key, { sum, count }] of samples) {
      void redis
        .syLatency(latencyKey, key, sum / count, count, weight, halfLifeMs)
        .catch(ignore('latency sample'));
    }
    samples.clear();
    const all = await redis.hgetall(latencyKey);
    // `value|weight|atMs`: the value leads.
    for (const [key, value] of Object.entries(all)) link.setLatency(key, Number.parseFloat(value));
  };

  return {
    attach(target, settings) {
      link = target;
      breaker = settings;
      const subscriber = connection.subscriber();
      subscriber.on('message', (_channel: string, message: string) => {
        // The replica that opened a breaker applies it too: its own count may be below the threshold.
        const [kind, remaining, ...rest] = message.split('|');
        const key = rest.join('|');
        if (kind === 'open') open(key, Number(remaining));
        else if (kind === 'close') close(key);
      });
      subscriber.on('ready', () => {
        void subscriber.subscribe(channel).catch(() => undefined);
        void loadBreakers().catch(ignore('breaker state'));
      });
      timer = setInterval(() => {
        void syncLatency().catch(ignore('latency estimates'));
        if (connection.available()) void loadBreakers().catch(ignore('breaker state'));
      }, options.latencyPullMs ?? 1000);
      timer.unref();
    },
    recordFailure(key) {
      if (breaker === undefined || !connection.available()) return;
      redis
        .syBreakerFailure(
          breakersKey,
          failuresKey(key),
          key,
          breaker.failureThreshold,
          breaker.windowMs,
          breaker.cooldownMs,
          channel,
        )
        .catch(ignore('breaker failure'));
    },
    recordSuccess(key) {
      if (breaker === undefined || !connection.available()) return;
      redis.syBreakerSuccess(breakersKey, failuresKey(key), key, channel).catch(ignore('breaker success'));
    },
    recordLatency(key, ms) {
      const found = samples.get(key);
      if (found === undefined) samples.set(key, { sum: ms, count: 1 });
      else {
        found.sum += ms;
        found.count += 1;
      }
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}

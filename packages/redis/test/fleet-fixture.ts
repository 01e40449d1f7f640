import { afterAll, beforeAll } from 'vitest';
import { sharedRedis } from '../src/testing.js';
import { type Replica, startFleet as startFleetOn } from './fixture.js';

export * from './fixture.js';

let redis: { url: string; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  redis = await sharedRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** The URL of the Redis the tests share. */
export const redisUrl = (): string => {
  if (redis === undefined) throw new Error('the shared Redis is not started');
  return redis.url;
};

/** {@link startFleetOn} on the shared Redis (one server). */
export const startFleet = (options: Omit<Parameters<typeof startFleetOn>[0], 'target'>): Promise<Replica[]> =>
  startFleetOn({ ...options, target: { url: redisUrl() } });

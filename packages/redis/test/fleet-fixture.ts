import { createRouter, type Router, type SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from '../src/index.js';
import { sharedRedis, uniquePrefix } from '../src/testing.js';

export const PROVIDER_KEY = 'sk-or-v1-redis-fleet-secret-0123456789';
export const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
export const PAID = 'meta-llama/llama-3.3-70b-instruct';
export const MINI = 'openai/gpt-4o-mini';

let redis: { url: string; stop(): Promise<void> } | undefined;
const open: Array<() => Promise<void>> = [];

beforeAll(async () => {
  redis = await sharedRedis();
});
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});
afterAll(async () => {
  await redis?.stop();
});

/** The URL of the Redis the tests share. */
export const redisUrl = (): string => {
  if (redis === undefined) throw new Error('the shared Redis is not started');
  return redis.url;
};

/** A mock upstream, closed after the test. */
export async function startMock(): Promise<MockUpstream> {
  const mock = await startMockUpstream();
  open.push(() => mock.close());
  return mock;
}

/** One replica: a router with its own Redis store (its own connections), closed after the test. */
export interface Replica {
  router: Router;
  store: RedisStore;
  logs: string[];
}

/**
 * Starts `count` replicas that share one Redis (under a prefix of their own) and one mock
 * upstream, as a fleet of gateways would.
 */
export async function startFleet(options: {
  count: number;
  mock: MockUpstream;
  config: Omit<SwitchyardConfig, 'providers'>;
  store?: Partial<RedisStoreOptions>;
}): Promise<Replica[]> {
  const prefix = options.store?.keyPrefix ?? uniquePrefix();
  const replicas: Replica[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const logs: string[] = [];
    const store = createRedisStore({
      url: redisUrl(),
      keyPrefix: prefix,
      log: (level, message) => logs.push(`${level}: ${message}`),
      ...options.store,
    });
    await store.ready(5000);
    const config = {
      providers: { mock: { baseURL: options.mock.url, apiKey: PROVIDER_KEY } },
      ...options.config,
      store: { type: 'redis', url: options.store?.url ?? redisUrl() },
    } as SwitchyardConfig;
    const router = createRouter({ config, store });
    open.push(() => router.close());
    replicas.push({ router, store, logs });
  }
  return replicas;
}

/** A one-message chat request. */
export const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user' as const, content: 'Say hello.' }],
  ...extra,
});

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

/** Waits until `check` passes (for what travels by pub/sub). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

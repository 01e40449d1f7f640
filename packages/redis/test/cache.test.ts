import { type ChatChunk, createRouter, formatUsd, parseUsd, summarizeSpend } from '@switchyard/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisStore, storeFromConfig } from '../src/index.js';
import { uniquePrefix } from '../src/testing.js';
import { ask, MINI, PROVIDER_KEY, redisUrl, startFleet, startMock } from './fleet-fixture.js';

const config = {
  models: { mini: { provider: 'mock', model: MINI } },
  routes: { default: { strategy: 'fallback' as const, targets: ['mini'] } },
  cache: { ttlSeconds: 60 },
};

async function cacheKeys(prefix: string): Promise<Array<{ key: string; ttlMs: number; value: string }>> {
  const client = new Redis(redisUrl());
  try {
    const keys = await client.keys(`${prefix}:cache:*`);
    return await Promise.all(
      keys.map(async (key) => ({ key, ttlMs: await client.pttl(key), value: (await client.get(key)) ?? '' })),
    );
  } finally {
    client.disconnect();
  }
}

describe('the answer cache in Redis', () => {
  it('answers on one replica what another replica stored: one upstream call for the fleet', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const [a, b] = await startFleet({ count: 2, mock, config, store: { keyPrefix: prefix } });
    const first = await a?.router.chat(ask('default'), { caller: { key: 'team-a' } });
    const second = await b?.router.chat(ask('default'), { caller: { key: 'team-a' } });
    expect(first?.trace.cache).toBe('miss');
    expect(second?.trace).toMatchObject({ cache: 'hit', costUsd: '0', savedUsd: first?.trace.costUsd });
    expect(second?.response.choices).toEqual(first?.response.choices);
    expect(mock.requests).toHaveLength(1);
    // Another key does not see it.
    const other = await b?.router.chat(ask('default'), { caller: { key: 'team-b' } });
    expect(other?.trace.cache).toBe('miss');
    expect(mock.requests).toHaveLength(2);

    // A stream on the first replica replays the answer too.
    const stream = await a?.router.stream(ask('default'), { caller: { key: 'team-a' } });
    const chunks: ChatChunk[] = [];
    for await (const chunk of stream ?? []) chunks.push(chunk);
    expect(stream?.trace.cache).toBe('hit');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(
      first?.response.choices[0]?.message.content,
    );

    // The fleet's ledger holds the hits with what they saved.
    const ledger = (await a?.router.ledger.query()) ?? [];
    expect(ledger.filter((entry) => entry.outcome === 'cache_hit')).toHaveLength(2);
    expect(summarizeSpend(ledger).savedUsd).toBe(formatUsd(parseUsd(first?.trace.costUsd ?? '') * 2n));

    // Keys are hashes under the store's prefix, expired by Redis; no key name or prompt in clear.
    const stored = await cacheKeys(prefix);
    expect(stored).toHaveLength(2);
    for (const { key, ttlMs } of stored) {
      expect(key).toMatch(new RegExp(`^${prefix}:cache:[0-9a-f]{64}$`));
      expect(ttlMs).toBeGreaterThan(55_000);
      expect(ttlMs).toBeLessThanOrEqual(60_000);
      expect(key).not.toContain('team-a');
    }
    for (const { value } of stored) expect(value).not.toContain(PROVIDER_KEY);
  });

  it('caps stored values, and treats an unreachable Redis as a miss rather than a failure', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const store = createRedisStore({
      url: redisUrl(),
      keyPrefix: prefix,
      cacheMaxValueBytes: 64,
      log: () => undefined,
    });
    await store.ready(5000);
    await store.cache?.set('big', 'x'.repeat(65), 10_000);
    await store.cache?.set('small', 'x'.repeat(64), 10_000);
    expect(await store.cache?.get('big')).toBeUndefined();
    expect(await store.cache?.get('small')).toBe('x'.repeat(64));
    await store.close();

    // A replica whose Redis is gone (failing open, no budget or limit) still answers, uncached.
    const gone = createRedisStore({ url: 'redis://127.0.0.1:1', failMode: 'open', log: () => undefined });
    const router = createRouter({
      config: {
        providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
        ...config,
        store: { type: 'redis', url: 'redis://127.0.0.1:1' },
      },
      store: gone,
    });
    try {
      expect((await router.chat(ask('default'))).trace.cache).toBe('miss');
      expect((await router.chat(ask('default'))).trace.cache).toBe('miss');
      expect(mock.requests).toHaveLength(2);
    } finally {
      await router.close();
    }
  });

  it('sizes the Redis value cap from the config’s largest maxEntryBytes', async () => {
    const prefix = uniquePrefix();
    const store = storeFromConfig(
      {
        store: { type: 'redis', url: redisUrl(), keyPrefix: prefix },
        cache: { maxEntryBytes: 2 * 1024 * 1024 },
        routes: { r: { strategy: 'fallback', targets: ['x'], cache: { maxEntryBytes: 3 * 1024 * 1024 } } },
      },
      { log: () => undefined },
    );
    await store?.ready(5000);
    const big = 'y'.repeat(2.5 * 1024 * 1024);
    await store?.cache?.set('big', big, 10_000);
    expect(await store?.cache?.get('big')).toBe(big);
    await store?.close();
  });
});

import {
  ConfigError,
  createRouter,
  type HealthLink,
  type LedgerEntry,
  parseUsd,
  type RoutingError,
  summarizeSpend,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { uniquePrefix } from '../src/testing.js';
import { ask, eventually, FREE, MINI, PAID, redisUrl, startFleet, startMock } from './fleet-fixture.js';

describe('a fleet sharing one Redis', () => {
  it('keeps fleet-wide spend within one budget under concurrent load', async () => {
    const mock = await startMock();
    const replicas = await startFleet({
      count: 3,
      mock,
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        budgets: [{ scope: 'global', usd: '0.001', period: 'day' }],
      },
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 150 }, (_, index) =>
        replicas[index % 3]?.router.chat(ask('mini', { max_tokens: 100 })),
      ),
    );
    const served = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as RoutingError] : [],
    );
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) expect(error).toMatchObject({ code: 'budget_exceeded', status: 402 });
    // Every replica reads the whole fleet's ledger; its sum stays within the budget.
    const ledger = await replicas[1]?.router.ledger.query();
    expect(ledger).toHaveLength(served.length);
    expect(parseUsd(summarizeSpend(ledger ?? []).costUsd)).toBeLessThanOrEqual(parseUsd('0.001'));
    expect(mock.requests).toHaveLength(served.length);
  });

  it('holds a 20-per-minute limit across replicas, handing over to the paid variant', async () => {
    const mock = await startMock();
    const replicas = await startFleet({
      count: 3,
      mock,
      config: {
        models: {
          free: { provider: 'mock', model: FREE, pricing: { prompt: '0', completion: '0' } },
          paid: { provider: 'mock', model: PAID },
        },
        routes: { llama: { strategy: 'fallback', targets: ['free', 'paid'] } },
        limits: [{ scope: 'model', match: '*:free', rpm: 20 }],
      },
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) => replicas[index % 3]?.router.chat(ask('llama'))),
    );
    const byTarget = (name: string) => results.filter((result) => result?.trace.served?.target === name);
    expect(byTarget('free')).toHaveLength(20);
    expect(byTarget('paid')).toHaveLength(40);
    expect(mock.requests.filter((request) => request.model === FREE)).toHaveLength(20);
  });

  it('counts failures fleet-wide and opens the breaker on every replica', async () => {
    const mock = await startMock();
    const [first, second, third] = await startFleet({
      count: 3,
      mock,
      config: {
        models: { a: { provider: 'mock', model: MINI }, b: { provider: 'mock', model: PAID } },
        routes: { main: { strategy: 'fallback', targets: ['a', 'b'] } },
        breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 60_000 },
        retry: { maxAttempts: 1 },
      },
    });
    if (first === undefined || second === undefined || third === undefined) throw new Error('no fleet');
    mock.script(MINI, [{ kind: 'error', status: 503, times: 2 }]);
    // One failure on each of two replicas: neither reached the threshold alone.
    expect((await first.router.chat(ask('main'))).trace.fallback).toBe(true);
    expect(first.router.breakerStates()[`mock/${MINI}`]).toBe('closed');
    expect((await second.router.chat(ask('main'))).trace.fallback).toBe(true);
    await eventually(() => {
      for (const replica of [first, second, third]) {
        expect(replica.router.breakerStates()[`mock/${MINI}`]).toBe('open');
      }
    });
    // The third replica never saw a failure, yet skips the open target.
    const before = mock.requests.length;
    const { trace } = await third.router.chat(ask('main'));
    expect(trace.served?.target).toBe('b');
    expect(trace.skipped).toContainEqual(expect.objectContaining({ target: 'a', reason: 'breaker_open' }));
    expect(mock.requests.slice(before).map((request) => request.model)).toEqual([PAID]);
  });

  it('closes the breaker everywhere once a probe succeeds after the cooldown', async () => {
    const mock = await startMock();
    const [first, second] = await startFleet({
      count: 2,
      mock,
      config: {
        models: { a: { provider: 'mock', model: MINI }, b: { provider: 'mock', model: PAID } },
        routes: { main: { strategy: 'fallback', targets: ['a', 'b'] } },
        breaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 300 },
        retry: { maxAttempts: 1 },
      },
    });
    if (first === undefined || second === undefined) throw new Error('no fleet');
    mock.script(MINI, [{ kind: 'error', status: 502 }]);
    await first.router.chat(ask('main'));
    await eventually(() => expect(second.router.breakerStates()[`mock/${MINI}`]).toBe('open'));
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(second.router.breakerStates()[`mock/${MINI}`]).toBe('half_open');
    const probe = await first.router.chat(ask('main'));
    expect(probe.trace.served?.target).toBe('a');
    await eventually(() => expect(second.router.breakerStates()[`mock/${MINI}`]).toBe('closed'));
  });

  it('shares latency estimates for the fastest strategy, a batch of n weighing as n samples', async () => {
    const prefix = uniquePrefix();
    // A half-life far beyond the test: only the weights move the estimate here.
    const options = { url: redisUrl(), keyPrefix: prefix, latencyPullMs: 50, latencyHalfLifeMs: 1e12 };
    const writer = createRedisStore(options);
    const reader = createRedisStore(options);
    try {
      await Promise.all([writer.ready(5000), reader.ready(5000)]);
      const seen = new Map<string, number>();
      const link: HealthLink = {
        openBreaker: () => undefined,
        closeBreaker: () => undefined,
        setLatency: (key, ms) => seen.set(key, ms),
      };
      writer.health?.attach(link, undefined);
      reader.health?.attach(link, undefined);
      // One tick's samples are averaged (150); the first ones are the whole estimate.
      for (const sample of [100, 200]) writer.health?.recordLatency('mock/slow', sample);
      await eventually(() => expect(seen.get('mock/slow')).toBeCloseTo(150, 9));
      // Two more of 250: weight 1 - 0.8^2 = 0.36 against the 0.36 x 0.64 the first two keep.
      for (const sample of [250, 250]) writer.health?.recordLatency('mock/slow', sample);
      const expected = (150 * 0.36 * 0.64 + 250 * 0.36) / (0.36 * 0.64 + 0.36);
      await eventually(() => expect(seen.get('mock/slow')).toBeCloseTo(expected, 6));
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('settles a free model’s zero reservation under a budget: no outage, nothing buffered', async () => {
    const mock = await startMock();
    const [replica] = await startFleet({
      count: 1,
      mock,
      config: {
        models: { free: { provider: 'mock', model: FREE, pricing: { prompt: '0', completion: '0' } } },
        budgets: [{ scope: 'global', usd: '1', period: 'day' }],
      },
    });
    if (replica === undefined) throw new Error('no fleet');
    for (let index = 0; index < 3; index += 1) await replica.router.chat(ask('free'));
    // Redis refuses "-0" as an integer: releasing a reservation of 0 once failed the settlement,
    // which the store took for an outage and answered by buffering every later ledger entry.
    expect(replica.store.backlog()).toEqual({ ledgerEntries: 0, settlements: 0 });
    expect(replica.logs.join('\n')).not.toContain('unreachable');
    const entries = await replica.router.ledger.query();
    expect(entries.map((entry) => [entry.outcome, entry.costUsd])).toEqual([
      ['success', '0'],
      ['success', '0'],
      ['success', '0'],
    ]);
  });

  it('has a stream in the shared ledger by the time its consumer sees the end', async () => {
    const mock = await startMock();
    const [first, second] = await startFleet({
      count: 2,
      mock,
      config: { models: { mini: { provider: 'mock', model: MINI } } },
    });
    if (first === undefined || second === undefined) throw new Error('no fleet');
    const stream = await first.router.stream(ask('mini'));
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    // No waiting: the other replica reads the entry as soon as the iteration ended.
    const entries = await second.router.ledger.query();
    expect(entries).toEqual([
      expect.objectContaining({
        requestId: stream.trace.id,
        attempt: 1,
        outcome: 'success',
        costUsd: stream.trace.costUsd,
      }),
    ]);
  });

  it('writes the ledger in the background with awaitWrites: false', async () => {
    const mock = await startMock();
    const [replica] = await startFleet({
      count: 1,
      mock,
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        budgets: [{ scope: 'global', usd: '1', period: 'day', name: 'all' }],
      },
      store: { awaitWrites: false },
    });
    if (replica === undefined) throw new Error('no fleet');
    const { trace } = await replica.router.chat(ask('mini'));
    await eventually(async () => {
      expect(await replica.router.ledger.query()).toEqual([
        expect.objectContaining({ requestId: trace.id, costUsd: trace.costUsd }),
      ]);
    });
  });

  it('reads a ledger entry once, even when an append was replayed', async () => {
    const store = createRedisStore({ url: redisUrl(), keyPrefix: uniquePrefix() });
    try {
      await store.ready(5000);
      const entry: LedgerEntry = {
        time: new Date().toISOString(),
        requestId: 'swy-replayed',
        attempt: 1,
        key: 'team-a',
        user: undefined,
        tags: ['t'],
        route: 'main',
        target: 'a',
        provider: 'mock',
        model: MINI,
        servedModel: MINI,
        outcome: 'success',
        promptTokens: 10,
        completionTokens: 5,
        tokenCostUsd: '0.0000045',
        feeUsd: '0',
        costUsd: '0.0000045',
        reportedCostUsd: undefined,
        costMismatch: false,
        estimated: false,
      };
      await store.ledger.append(entry);
      await store.ledger.append(entry);
      await store.ledger.append({ ...entry, attempt: 2 });
      const all = await store.ledger.query({ key: 'team-a' });
      expect(all.map((found) => found.attempt)).toEqual([1, 2]);
      expect(summarizeSpend(all).costUsd).toBe('0.000009');
    } finally {
      await store.close();
    }
  });

  it('frees a dead replica’s reservation once its lease ends, and still counts a late settlement once', async () => {
    const prefix = uniquePrefix();
    const store = createRedisStore({ url: redisUrl(), keyPrefix: prefix, leaseMs: 100 });
    try {
      await store.ready(5000);
      const bucket = { id: 'global|all|0', limit: parseUsd('1'), expiresAt: Date.now() + 60_000 };
      const held = await store.budgets.reserve({ buckets: [bucket], amount: parseUsd('0.8') });
      expect(held.ok).toBe(true);
      expect(await store.budgets.reserve({ buckets: [bucket], amount: parseUsd('0.5') })).toMatchObject({
        ok: false,
        reserved: parseUsd('0.8'),
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const after = await store.budgets.reserve({ buckets: [bucket], amount: parseUsd('0.5') });
      expect(after.ok).toBe(true);
      if (!held.ok || !after.ok) throw new Error('unreachable');
      // The first replica settles late: its spend counts once, a replay changes nothing.
      await store.budgets.settle(held.reservation, parseUsd('0.1'));
      await store.budgets.settle(held.reservation, parseUsd('0.1'));
      await store.budgets.settle(after.reservation, parseUsd('0.2'));
      expect(await store.budgets.usage(bucket.id)).toEqual({ spent: parseUsd('0.3'), reserved: 0n });
    } finally {
      await store.close();
    }
  });

  it('refuses a redis store config without a store instance, naming the store', () => {
    const config = {
      providers: { mock: { baseURL: 'http://127.0.0.1:9/api/v1' } },
      store: { type: 'redis', url: 'redis://127.0.0.1:6379' },
    };
    let error: unknown;
    try {
      createRouter({ config });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/store: type "redis" needs a Redis store/);
    expect(() => createRouter({ config: { ...config, store: { type: 'redis', url: 'http://x' } } })).toThrow(
      /store\.url: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('rejects a budget reservation across several buckets all or nothing', async () => {
    const store = createRedisStore({ url: redisUrl(), keyPrefix: uniquePrefix() });
    try {
      await store.ready(5000);
      const roomy = { id: 'key|a|0', limit: parseUsd('10'), expiresAt: Date.now() + 60_000 };
      const tight = { id: 'user|u|0', limit: parseUsd('1'), expiresAt: Date.now() + 60_000 };
      const refused = await store.budgets.reserve({ buckets: [roomy, tight], amount: parseUsd('2') });
      expect(refused).toMatchObject({ ok: false, bucket: tight, spent: 0n, reserved: 0n });
      expect(await store.budgets.usage(roomy.id)).toEqual({ spent: 0n, reserved: 0n });
    } finally {
      await store.close();
    }
  });
});

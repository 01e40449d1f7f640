import {
  type HealthLink,
  type LedgerEntry,
  parseUsd,
  type RoutingError,
  summarizeSpend,
} from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisTarget } from '../src/index.js';
import { type RedisCluster, startRedisCluster, uniquePrefix } from '../src/testing.js';
import {
  ask,
  closeAfterTest,
  eventually,
  FREE,
  MINI,
  PAID,
  rejectionOf,
  startFleet,
  startMock,
} from './fixture.js';
import { budgetHashes, keysByPrimary } from './redis-keys-fixture.js';

// Every node requires it: each test also shows the client authenticates to every node it finds.
const PASSWORD = 'cluster-s3cret-p4ss';
let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ primaries: 3, password: PASSWORD });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});
const target = (): RedisTarget => ({ cluster: { nodes: cluster.nodes } });
/** A fleet on the cluster; 150 requests at once on a loaded two-core machine may take commands past the default 500 ms. */
const fleetOnCluster = (options: Omit<Parameters<typeof startFleet>[0], 'target'>) =>
  startFleet({ ...options, target: target(), store: { commandTimeoutMs: 3000, ...options.store } });

describe('a fleet sharing a three-primary Redis Cluster', () => {
  it('keeps spend within the global, key and user budgets, each reservation one script across all three', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const replicas = await fleetOnCluster({
      count: 3,
      mock,
      store: { keyPrefix: prefix },
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        budgets: [
          { scope: 'global', usd: '0.001', period: 'day' },
          { scope: 'key', usd: '1', period: 'day' },
          { scope: 'user', usd: '1', period: 'day' },
        ],
      },
    });
    const caller = { key: 'team-a', user: 'u1' };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 150 }, (_, index) =>
        replicas[index % 3]?.router.chat(ask('mini', { max_tokens: 100 }), { caller }),
      ),
    );
    const served = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as RoutingError] : [],
    );
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) expect(error).toMatchObject({ code: 'budget_exceeded', status: 402 });
    const ledger = (await replicas[2]?.router.ledger.query()) ?? [];
    expect(ledger).toHaveLength(served.length);
    const total = parseUsd(summarizeSpend(ledger).costUsd);
    expect(total).toBeLessThanOrEqual(parseUsd('0.001'));
    // Every budget window holds exactly what the ledger says was spent, nothing still reserved.
    const hashes = await budgetHashes((await cluster.primaryOf(`{${prefix}}`)).url, prefix);
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) expect(hash).toMatchObject({ spent: total, reserved: 0n });
  });

  it('holds a 20-per-minute limit across replicas, handing over to the paid variant', async () => {
    const mock = await startMock();
    const replicas = await fleetOnCluster({
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
  });

  it('puts each script’s keys in one slot, and spreads the rate-limit counters over the primaries', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const [replica] = await fleetOnCluster({
      count: 1,
      mock,
      store: { keyPrefix: prefix, latencyPullMs: 50 },
      config: {
        models: { a: { provider: 'mock', model: MINI }, b: { provider: 'mock', model: PAID } },
        routes: { main: { strategy: 'fallback', targets: ['a', 'b'] } },
        budgets: [
          { scope: 'global', usd: '10', period: 'day' },
          { scope: 'key', usd: '1', period: 'day' },
        ],
        limits: [{ scope: 'key', rpm: 1000 }],
        breaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 60_000 },
        retry: { maxAttempts: 1 },
      },
    });
    if (replica === undefined) throw new Error('no fleet');
    // One failure of `a` opens its breaker; 30 keys get a counter each; `b`'s latency is shared.
    mock.script(MINI, [{ kind: 'error', status: 503 }]);
    for (let index = 0; index < 30; index += 1) {
      await replica.router.chat(ask('main'), { caller: { key: `team-${index}` } });
    }
    let byPrimary = new Map<number, string[]>();
    await eventually(async () => {
      byPrimary = await keysByPrimary(cluster, prefix);
      expect([...byPrimary.values()].flat()).toContain(`{${prefix}:health}:latency`);
    });
    const all = [...byPrimary.values()].flat();
    const owner = async (tag: string) => (await cluster.primaryOf(tag)).port;
    const money = all.filter((key) => key.startsWith(`{${prefix}}:`));
    const health = all.filter((key) => key.startsWith(`{${prefix}:health}:`));
    const counters = all.filter((key) => key.startsWith(`${prefix}:`));
    expect(money).toContain(`{${prefix}}:ledger`);
    expect(money.filter((key) => key.includes(':budget:'))).toHaveLength(31);
    expect(health.sort()).toEqual([`{${prefix}:health}:breakers`, `{${prefix}:health}:latency`]);
    expect(counters).toHaveLength(30);
    expect(money.length + health.length + counters.length).toBe(all.length);
    // Budgets and the ledger on one primary, the health keys on one (perhaps the same) ...
    expect(byPrimary.get(await owner(`{${prefix}}`))).toEqual(expect.arrayContaining(money));
    expect(byPrimary.get(await owner(`{${prefix}:health}`))).toEqual(expect.arrayContaining(health));
    // ... and the counters on every primary (30 keys on one of three: 3 × 3^-30).
    const spread = [...byPrimary.values()].filter((keys) => keys.some((key) => counters.includes(key)));
    expect(spread).toHaveLength(3);
  });

  it('trims the ledger and counts the trimmed in one script, and shares cached answers', async () => {
    const mock = await startMock();
    const prefix = uniquePrefix();
    const [first, second] = await fleetOnCluster({
      count: 2,
      mock,
      store: { keyPrefix: prefix, ledger: { maxEntries: 5 } },
      config: {
        models: { mini: { provider: 'mock', model: MINI } },
        routes: { default: { strategy: 'fallback', targets: ['mini'] } },
        cache: { ttlSeconds: 60 },
      },
    });
    if (first === undefined || second === undefined) throw new Error('no fleet');
    for (let index = 0; index < 12; index += 1) {
      await first.router.chat(ask('mini', { messages: [{ role: 'user', content: `Question ${index}` }] }));
    }
    expect(await first.store.trimLedger()).toBe(7);
    expect(await second.router.ledger.query()).toHaveLength(5);
    expect(await second.store.trimmedLedgerEntries()).toBe(7);
    // A cached answer (one key, on whichever primary its hash lands) serves the other replica.
    const asked = await first.router.chat(ask('default'), { caller: { key: 'team-a' } });
    const again = await second.router.chat(ask('default'), { caller: { key: 'team-a' } });
    expect([asked.trace.cache, again.trace.cache]).toEqual(['miss', 'hit']);
  });

  it('reads a ledger entry once, even when an append was replayed, from any replica', async () => {
    const prefix = uniquePrefix();
    const writer = createRedisStore({ ...target(), keyPrefix: prefix });
    const reader = createRedisStore({ ...target(), keyPrefix: prefix });
    closeAfterTest(async () => {
      await Promise.all([writer.close(), reader.close()]);
    });
    await Promise.all([writer.ready(5000), reader.ready(5000)]);
    const entry: LedgerEntry = {
      time: new Date().toISOString(),
      requestId: 'swy-cluster-replayed',
      attempt: 1,
      key: 'team-a',
      user: undefined,
      tags: [],
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
    await writer.ledger.append(entry);
    await writer.ledger.append(entry);
    await writer.ledger.append({ ...entry, attempt: 2 });
    const all = await reader.ledger.query({ key: 'team-a' });
    expect(all.map((found) => found.attempt)).toEqual([1, 2]);
    expect(summarizeSpend(all).costUsd).toBe('0.000009');
  });

  it('opens a breaker on every replica through pub/sub, and closes it everywhere on a success', async () => {
    const mock = await startMock();
    const replicas = await fleetOnCluster({
      count: 3,
      mock,
      config: {
        models: { a: { provider: 'mock', model: MINI }, b: { provider: 'mock', model: PAID } },
        routes: { main: { strategy: 'fallback', targets: ['a', 'b'] } },
        breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 60_000 },
        retry: { maxAttempts: 1 },
      },
    });
    const [first, second, third] = replicas;
    if (first === undefined || second === undefined || third === undefined) throw new Error('no fleet');
    const state = (replica: (typeof replicas)[number]) => replica.router.breakerStates()[`mock/${MINI}`];
    mock.script(MINI, [{ kind: 'error', status: 503, times: 2 }]);
    await first.router.chat(ask('main'));
    await second.router.chat(ask('main'));
    // A replica whose subscription is not up yet (a loaded machine) opens it from its reload then.
    await eventually(() => {
      expect(replicas.map(state)).toEqual(['open', 'open', 'open']);
    }, 10_000);
    const { trace } = await third.router.chat(ask('main'));
    expect(trace.skipped).toContainEqual(expect.objectContaining({ target: 'a', reason: 'breaker_open' }));
    // What a replica reports after a successful probe (not waiting out the cooldown here).
    first.store.health?.recordSuccess(`mock/${MINI}`);
    await eventually(() => {
      for (const replica of replicas) expect(state(replica)).toBe('closed');
    }, 10_000);
  });

  it('shares latency estimates between stores', async () => {
    const options = { ...target(), keyPrefix: uniquePrefix(), latencyPullMs: 50, latencyHalfLifeMs: 1e12 };
    const writer = createRedisStore(options);
    const reader = createRedisStore(options);
    closeAfterTest(async () => {
      await Promise.all([writer.close(), reader.close()]);
    });
    await Promise.all([writer.ready(5000), reader.ready(5000)]);
    const seen = new Map<string, number>();
    const link: HealthLink = {
      openBreaker: () => undefined,
      closeBreaker: () => undefined,
      setLatency: (key, ms) => seen.set(key, ms),
    };
    writer.health?.attach({ ...link, setLatency: () => undefined }, undefined);
    reader.health?.attach(link, undefined);
    for (const sample of [100, 200]) writer.health?.recordLatency('mock/slow', sample);
    await eventually(() => expect(seen.get('mock/slow')).toBeCloseTo(150, 9));
  });

  it('never puts a node’s password in a log line or an error', async () => {
    const wrong = 'wrong-cluster-p4ss';
    const logs: string[] = [];
    const store = createRedisStore({
      cluster: { nodes: cluster.nodes.map((url) => url.replace(PASSWORD, wrong)) },
      keyPrefix: uniquePrefix(),
      commandTimeoutMs: 200,
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    closeAfterTest(() => store.close());
    expect(await store.ready(1000)).toBe(false);
    const bucket = { id: 'b', limit: 1n, expiresAt: Date.now() + 1000 };
    const error = await rejectionOf(store.budgets.reserve({ buckets: [bucket], amount: 1n }));
    expect(error).toMatchObject({ code: 'store_unavailable' });
    const everything = [...logs, error.message, String(error.cause)].join('\n');
    expect(everything).toMatch(/Redis at cluster redis:\/\/127\.0\.0\.1:\d+,/);
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(PASSWORD);
  });
});

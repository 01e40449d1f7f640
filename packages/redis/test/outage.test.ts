import { createRouter, type Router, type SwitchyardConfig } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStore, type FailMode, type RedisStore } from '../src/index.js';
import { type RedisServer, startRedisServer, uniquePrefix } from '../src/testing.js';
import { ask, eventually, MINI, PROVIDER_KEY, rejectionOf, startMock } from './fleet-fixture.js';

const PASSWORD = 'redis-secret-p4ssw0rd';
const servers: RedisServer[] = [];
const routers: Router[] = [];

afterEach(async () => {
  await Promise.allSettled(routers.splice(0).map((router) => router.close()));
  await Promise.allSettled(servers.splice(0).map((server) => server.stop()));
});

/** A replica on a Redis of its own, which the test takes down and brings back. */
async function startReplica(failMode: FailMode): Promise<{
  router: Router;
  store: RedisStore;
  server: RedisServer;
  logs: string[];
}> {
  const server = await startRedisServer();
  servers.push(server);
  const mock = await startMock();
  const logs: string[] = [];
  const url = `redis://127.0.0.1:${server.port}`;
  const store = createRedisStore({
    url,
    keyPrefix: uniquePrefix(),
    failMode,
    commandTimeoutMs: 200,
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  await store.ready(5000);
  const config = {
    providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
    models: { mini: { provider: 'mock', model: MINI } },
    budgets: [{ scope: 'global', usd: '1', period: 'day' }],
    limits: [{ scope: 'model', rpm: 1000 }],
    store: { type: 'redis', url, failMode },
  } as SwitchyardConfig;
  const router = createRouter({ config, store });
  routers.push(router);
  return { router, store, server, logs };
}

describe('when Redis is unreachable', () => {
  it('fails closed with a clear 503, buffers the ledger, and recovers without a restart', async () => {
    const { router, store, server, logs } = await startReplica('closed');
    await router.chat(ask('mini'));
    await server.stop();
    await eventually(async () => expect(await store.ping()).toBe(false));
    const error = await rejectionOf(router.chat(ask('mini')));
    expect(error).toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(error.message).toMatch(/the budget store \(Redis\) did not answer/);
    expect((error as unknown as { headers: Record<string, string> }).headers['retry-after']).toBe('1');
    expect(logs.join('\n')).toMatch(/unreachable .*failing CLOSED/);

    await server.restart();
    await eventually(async () => expect(await store.ping()).toBe(true), 10_000);
    const { trace } = await router.chat(ask('mini'));
    expect(trace.served?.target).toBe('mini');
    expect(logs.join('\n')).toMatch(/is back/);
    // The server came back empty (no persistence): the entries written after it are there.
    expect(await router.ledger.query()).toHaveLength(1);
  });

  it('fails open on per-replica memory limits, logs it loudly, and writes the buffered ledger later', async () => {
    const { router, store, server, logs } = await startReplica('open');
    await server.stop();
    await eventually(async () => expect(await store.ping()).toBe(false));
    const served = await Promise.all([router.chat(ask('mini')), router.chat(ask('mini'))]);
    expect(served.map((result) => result.trace.served?.target)).toEqual(['mini', 'mini']);
    expect(logs.join('\n')).toMatch(
      /unreachable .*failing OPEN, budgets and rate limits are enforced per replica/,
    );
    expect(store.backlog().ledgerEntries).toBe(2);

    await server.restart();
    await eventually(() => expect(store.backlog().ledgerEntries).toBe(0), 10_000);
    const ledger = await router.ledger.query();
    expect(ledger.map((entry) => entry.requestId).sort()).toEqual(
      served.map((result) => result.trace.id).sort(),
    );
  });

  it('never puts the Redis password in a log line or an error', async () => {
    const logs: string[] = [];
    const store = createRedisStore({
      url: `redis://:${PASSWORD}@127.0.0.1:1`,
      keyPrefix: uniquePrefix(),
      commandTimeoutMs: 100,
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    try {
      expect(await store.ready(300)).toBe(false);
      const bucket = { id: 'b', limit: 1n, expiresAt: Date.now() + 1000 };
      const error = await rejectionOf(store.budgets.reserve({ buckets: [bucket], amount: 1n }));
      expect(error).toMatchObject({ code: 'store_unavailable' });
      const everything = [...logs, error.message, String(error.cause)].join('\n');
      expect(everything).toMatch(/redis:\/\/127\.0\.0\.1:1/);
      expect(everything).not.toContain(PASSWORD);
    } finally {
      await store.close();
    }
  });
});

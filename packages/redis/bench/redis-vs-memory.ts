/**
 * Added latency per request of the Redis store against the memory store: routers with the
 * same config (a global and a per-key budget, a model rpm and a key rpm limit, the ledger) call
 * the same loopback mock upstream, alternating request by request so that drift and garbage
 * collection hit all alike. The Redis store runs twice: the default, where the answer waits for
 * the settlement and ledger write (two round trips per request: admission, then settlement), and
 * `awaitWrites: false` (one). Also prints one bare ioredis PING round trip for scale.
 *
 * Run: pnpm --filter @switchyard/redis bench   (env BENCH_REQUESTS, default 5000 per store;
 * SWITCHYARD_REDIS_URL to use a running Redis, else one is started)
 */
import { type CallOptions, createRouter, type Router, type SwitchyardConfig } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { Redis } from 'ioredis';
import { createRedisStore } from '../src/index.js';
import { sharedRedis, uniquePrefix } from '../src/testing.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const WARMUP = 500;
const REQUEST = {
  model: 'mini',
  messages: [{ role: 'user' as const, content: 'Say hello in one short sentence.' }],
  max_tokens: 32,
};
const CALL: CallOptions = { caller: { key: 'team-a', user: 'u1' } };

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const micro = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;

async function timeOne(router: Router): Promise<number> {
  const started = performance.now();
  await router.chat(REQUEST, CALL);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const redis = await sharedRedis();
  const mock = await startMockUpstream();
  const config = (store: SwitchyardConfig['store']): SwitchyardConfig => ({
    providers: { mock: { baseURL: mock.url, apiKey: 'sk-bench-redis-000000' } },
    models: { mini: { provider: 'mock', model: 'openai/gpt-4o-mini' } },
    budgets: [
      { scope: 'global', usd: '100000', period: 'day' },
      { scope: 'key', usd: '100000', period: 'day' },
    ],
    limits: [
      { scope: 'model', rpm: 1_000_000 },
      { scope: 'key', rpm: 1_000_000 },
    ],
    ...(store === undefined ? {} : { store }),
  });
  const redisRouter = async (awaitWrites: boolean): Promise<Router> => {
    const settings = { type: 'redis' as const, url: redis.url, keyPrefix: uniquePrefix(), awaitWrites };
    const store = createRedisStore(settings);
    await store.ready(5000);
    return createRouter({ config: config(settings), store });
  };
  const memoryRouter = createRouter({ config: config(undefined) });
  const awaited = await redisRouter(true);
  const background = await redisRouter(false);
  const ping = new Redis(redis.url);

  try {
    for (let index = 0; index < WARMUP; index += 1) {
      await timeOne(memoryRouter);
      await timeOne(awaited);
      await timeOne(background);
      await ping.ping();
    }
    const memory: number[] = [];
    const shared: number[] = [];
    const unawaited: number[] = [];
    const pings: number[] = [];
    for (let index = 0; index < REQUESTS; index += 1) {
      memory.push(await timeOne(memoryRouter));
      shared.push(await timeOne(awaited));
      unawaited.push(await timeOne(background));
      const started = performance.now();
      await ping.ping();
      pings.push(performance.now() - started);
    }
    for (const list of [memory, shared, unawaited, pings]) list.sort((a, b) => a - b);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ledgers = await Promise.all([awaited.ledger.query(), background.ledger.query()]);
    console.log(
      `\n## Redis store vs memory store, ${REQUESTS} sequential requests each (Node ${process.version})\n`,
    );
    console.log(
      'Config: global + per-key budget, model rpm + key rpm limit, ledger; mock upstream on loopback.\n',
    );
    console.log('| store | median | p99 | added median | added p99 |');
    console.log('|---|---|---|---|---|');
    console.log(`| memory | ${micro(quantile(memory, 0.5))} | ${micro(quantile(memory, 0.99))} | | |`);
    const row = (label: string, list: number[]): string =>
      `| ${label} | ${micro(quantile(list, 0.5))} | ${micro(quantile(list, 0.99))} | ${micro(quantile(list, 0.5) - quantile(memory, 0.5))} | ${micro(quantile(list, 0.99) - quantile(memory, 0.99))} |`;
    console.log(row('redis, answer waits for the ledger (default)', shared));
    console.log(row('redis, `awaitWrites: false`', unawaited));
    console.log(
      `\nOne ioredis PING round trip: median ${micro(quantile(pings, 0.5))}, p99 ${micro(quantile(pings, 0.99))}`,
    );
    console.log(
      `Ledger entries in Redis: ${ledgers.map((ledger) => ledger.length).join(' and ')} (expected ${REQUESTS + WARMUP} each)`,
    );
  } finally {
    ping.disconnect();
    await Promise.all([memoryRouter.close(), awaited.close(), background.close()]);
    await mock.close();
    await redis.stop();
  }
}

await main();

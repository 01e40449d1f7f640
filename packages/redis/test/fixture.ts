import { connect, createServer, type Socket } from 'node:net';
import { createRouter, type Router, type RoutingError, type SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, expect } from 'vitest';
import { createRedisStore, type RedisStore, type RedisStoreOptions, type RedisTarget } from '../src/index.js';
import { uniquePrefix } from '../src/testing.js';

export const PROVIDER_KEY = 'sk-or-v1-redis-fleet-secret-0123456789';
export const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
export const PAID = 'meta-llama/llama-3.3-70b-instruct';
export const MINI = 'openai/gpt-4o-mini';

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

/** Closes `close` after the test (routers, stores, mocks). */
export const closeAfterTest = (close: () => Promise<void>): void => {
  open.push(close);
};

/** A mock upstream, closed after the test. */
export async function startMock(): Promise<MockUpstream> {
  const mock = await startMockUpstream();
  closeAfterTest(() => mock.close());
  return mock;
}

/** One replica: a router with its own Redis store (its own connections), closed after the test. */
export interface Replica {
  router: Router;
  store: RedisStore;
  logs: string[];
}

/**
 * Starts `count` replicas that share one Redis `target` (a server, a Cluster or a Sentinel
 * setup; under a prefix of their own) and one mock upstream, as a fleet of gateways would.
 */
export async function startFleet(options: {
  count: number;
  mock: MockUpstream;
  target: RedisTarget;
  config: Omit<SwitchyardConfig, 'providers'>;
  store?: Partial<RedisStoreOptions>;
}): Promise<Replica[]> {
  const prefix = options.store?.keyPrefix ?? uniquePrefix();
  const replicas: Replica[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const logs: string[] = [];
    const store = createRedisStore({
      ...options.target,
      keyPrefix: prefix,
      log: (level, message) => logs.push(`${level}: ${message}`),
      ...options.store,
    });
    await store.ready(5000);
    const config = {
      providers: { mock: { baseURL: options.mock.url, apiKey: PROVIDER_KEY } },
      ...options.config,
      store: { type: 'redis', ...options.target },
    } as SwitchyardConfig;
    const router = createRouter({ config, store });
    closeAfterTest(() => router.close());
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

/** Requests sent by `workers` loops over the replicas until stopped: what was served and refused. */
export function sendUntilStopped(replicas: readonly Replica[], workers: number) {
  const served: Array<{ id: string; costUsd: string }> = [];
  const refused: RoutingError[] = [];
  let running = true;
  const loop = async (index: number): Promise<void> => {
    const replica = replicas[index % replicas.length] as Replica;
    while (running) {
      try {
        const { trace } = await replica.router.chat(ask('mini'), { caller: { key: 'team-a' } });
        served.push({ id: trace.id, costUsd: trace.costUsd });
      } catch (error) {
        refused.push(error as RoutingError);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, index) => loop(index)));
  return {
    served,
    refused,
    /** Resolves once `count` more requests were served. */
    async serve(count: number): Promise<void> {
      const target = served.length + count;
      await eventually(
        () =>
          expect(
            served.length,
            `served; last refusal: ${refused.at(-1)?.message ?? 'none'}`,
          ).toBeGreaterThanOrEqual(target),
        20_000,
      );
    },
    async stop(): Promise<void> {
      running = false;
      await done;
    },
  };
}

/**
 * A TCP proxy on loopback to `port` that holds every chunk for `delayMs` each way: a slow network
 * link to a real server. Closed after the test. Resolves to its port.
 */
export async function startSlowLink(port: number, delayMs: number): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket
        .on('error', () => undefined)
        .on('close', () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
    }
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAfterTest(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

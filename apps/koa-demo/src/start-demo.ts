import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter, type SwitchyardConfig } from '@switchyard/core';
import { applyServerLimits } from '@switchyard/core/node';
import { createPrometheusMetrics } from '@switchyard/prometheus';
import { storeFromConfig } from '@switchyard/redis';
import { type Logger, pino } from 'pino';
import { createDemoApp } from './create-demo-app.js';

/** Options of {@link startDemo}. */
export interface StartDemoOptions {
  config: SwitchyardConfig;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 8788
   */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default pino() to stdout */
  logger?: Logger;
  /**
   * The route `POST /summarize` calls.
   * @default 'smart'
   */
  summarizeModel?: string;
  /**
   * Serves `GET /metrics` (Prometheus).
   * @default true
   */
  metrics?: boolean;
  /** The bearer key `/metrics` asks for; open without one. */
  adminKey?: string;
}

/** A running demo. */
export interface RunningDemo {
  /** The server's origin, e.g. `http://127.0.0.1:8788` (the OpenAI base URL is `${url}/v1`). */
  url: string;
  /** Stops accepting requests, closes open connections and the router's pools. */
  close(): Promise<void>;
}

/** Starts the demo's Koa app on a router made from `config`, its server held to the config's `server` limits. */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const { config, host = '127.0.0.1' } = options;
  const logger = options.logger ?? pino({ name: 'koa-demo' });
  // `store: { type: redis }` shares budgets, limits, breakers and the ledger with other replicas.
  const store = storeFromConfig(config, {
    log: (level, message) => logger[level]({ store: 'redis' }, message),
  });
  const router = createRouter({ config, ...(store === undefined ? {} : { store }) });
  const app = createDemoApp({
    router,
    config,
    logger,
    ...(options.metrics === false ? {} : { metrics: createPrometheusMetrics({ router }) }),
    ...(options.adminKey === undefined ? {} : { adminKey: options.adminKey }),
    ...(options.summarizeModel === undefined ? {} : { summarizeModel: options.summarizeModel }),
  });
  // Koa's app.listen would listen at once: the server limits must be set before.
  const server = createServer(app.callback());
  applyServerLimits(server, config.server, {
    // A connection cut before any handler ran (a slowloris, garbage) gets a log line as well.
    onCut: (cut) => logger.warn(cut, 'connection cut before a request handler ran'),
  });
  server.listen({ port: options.port ?? 8788, host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await router.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await router.close();
    },
  };
}

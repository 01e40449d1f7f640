import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { SwitchyardConfig } from '@switchyard/core';
import { applyServerLimits } from '@switchyard/core/node';
import { createAdminApi, createDashboardPage } from '@switchyard/dashboard';
import { SwitchyardService } from '@switchyard/nestjs';
import { createPrometheusMetrics, metricsHandler } from '@switchyard/prometheus';
import { type Logger, pino } from 'pino';
import { DemoModule } from './demo-module.js';
import { DEMO_SOURCE, type DemoSource } from './demo-source.js';

/** Options of {@link startDemo}. */
export interface StartDemoOptions {
  /** A configuration, the path of a config file, or nothing for the embedded default. */
  config?: SwitchyardConfig | string;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 8789
   */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default pino() to stdout */
  logger?: Logger;
  /**
   * Serves `GET /metrics` (Prometheus).
   * @default true
   */
  metrics?: boolean;
  /** The bearer key `/metrics` asks for (`SWITCHYARD_ADMIN_KEY`); open without one. */
  adminKey?: string;
}

/** A running demo. */
export interface RunningDemo {
  /** The server's origin, e.g. `http://127.0.0.1:8789` (the OpenAI base URL is `${url}/v1`). */
  url: string;
  /** Where the configuration came from, and the embedded upstream if one runs. */
  source: DemoSource;
  /** Stops taking requests, closes connections, the router and the embedded upstream. */
  close(): Promise<void>;
}

/** Starts the demo's Nest app, its HTTP server held to the config's `server` limits. */
export async function startDemo(options: StartDemoOptions = {}): Promise<RunningDemo> {
  const { host = '127.0.0.1' } = options;
  const logger = options.logger ?? pino({ name: 'nest-demo' });
  // No body parser: the gateway endpoints read their bodies themselves (4 MiB, OpenAI-shaped
  // errors); `/summarize` gets a small JSON parser of its own.
  const app = await NestFactory.create(
    DemoModule.register({ logger, ...(options.config === undefined ? {} : { config: options.config }) }),
    // A start-up error (a bad config) is thrown to the caller, who reports it once, not logged here.
    { bodyParser: false, logger: false, abortOnError: false },
  );
  app.useLogger(['error', 'warn']);
  const { config } = app.get<DemoSource>(DEMO_SOURCE);
  if (config.admin !== undefined) {
    // The dashboard's Node handlers, before Nest's routes: what they do not answer goes on.
    const { router } = app.get(SwitchyardService);
    const handlers = [
      createAdminApi({ router, adminKey: config.admin.key, keys: config.keys }),
      createDashboardPage(),
    ];
    app.use(async (request: IncomingMessage, response: ServerResponse, next: () => void) => {
      for (const handler of handlers) if (await handler.handle(request, response)) return;
      next();
    });
  }
  try {
    // Timeouts and connection caps from the config's `server`, before the server listens.
    applyServerLimits(app.getHttpServer(), app.get<DemoSource>(DEMO_SOURCE).config.server, {
      // A connection cut before any handler ran (a slowloris, garbage) gets a log line as well.
      onCut: (cut) => logger.warn(cut, 'connection cut before a request handler ran'),
    });
    if (options.metrics !== false) {
      // On the Express instance itself, before Nest's routes (and its 404) are mounted at listen.
      const metrics = createPrometheusMetrics({ router: app.get(SwitchyardService).router });
      const adminKey = options.adminKey ?? config.admin?.key;
      app.getHttpAdapter().get('/metrics', metricsHandler(metrics, { adminKey }));
    }
    await app.listen(options.port ?? 8789, host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    source: app.get<DemoSource>(DEMO_SOURCE),
    close: () => app.close(),
  };
}

import type { AddressInfo } from 'node:net';
import {
  type CatalogModel,
  createRouter,
  type Router,
  type SwitchyardConfig,
  type TelemetryOptions,
} from '@switchyard/core';
import { applyServerLimits } from '@switchyard/core/node';
import { createPrometheusMetrics, type PrometheusMetrics } from '@switchyard/prometheus';
import { storeFromConfig } from '@switchyard/redis';
import type { Logger } from 'pino';
import { MIN_ADMIN_KEY_LENGTH } from './admin-routes.js';
import { createApp } from './create-app.js';
import { createServer } from './create-server.js';

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** The configuration (validated by the router; an invalid one throws core's `ConfigError`). */
  config: SwitchyardConfig;
  /** One line per request, and start-up / shutdown events. */
  logger: Logger;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 8787
   */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Model metadata on top of the bundled catalog (the embedded default passes the mock's). */
  catalog?: readonly CatalogModel[];
  /** Largest chat-completions body. @default 4 MiB */
  bodyLimitBytes?: number;
  /**
   * The route `/summarize` calls.
   * @default 'smart'
   */
  summarizeModel?: string;
  /**
   * The bearer key of `/admin` (the ledger export, the spend, requests and routes API) and
   * `/dashboard`; the config's `admin.key` when omitted; no `/admin` nor `/dashboard` without one.
   * At least 16 characters.
   */
  adminKey?: string;
  /** Where the admin key came from, named in the error of a short one. @default 'SWITCHYARD_ADMIN_KEY' */
  adminKeySource?: string;
  /**
   * Serves `GET /metrics` (Prometheus text exposition, behind `adminKey` when set).
   * @default true
   */
  metrics?: boolean;
  /**
   * The router's OpenTelemetry options (spans and GenAI metrics go to the SDK registered before
   * the gateway starts, if any).
   * @default { captureMessageContent: false }
   */
  telemetry?: TelemetryOptions;
  /**
   * How long `close()` lets in-flight requests finish before cutting their connections.
   * @default 10000
   */
  shutdownTimeoutMs?: number;
}

/** A running gateway. */
export interface RunningGateway {
  /** `http://HOST:PORT` (the OpenAI base URL is this plus `/v1`). */
  url: string;
  /** True when no key is configured. */
  open: boolean;
  router: Router;
  /** The Prometheus metrics `/metrics` serves; undefined with `metrics: false`. */
  metrics: PrometheusMetrics | undefined;
  /** Stops accepting connections, lets in-flight requests finish, then closes upstream pools. */
  close(): Promise<void>;
}

/**
 * Starts the Express gateway on `host:port`, its server held to the config's `server` limits. With `store: { type: redis }` in the config, budgets,
 * limits, breakers and the ledger are shared with every other replica through Redis.
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { logger } = options;
  const adminKey = options.adminKey ?? options.config.admin?.key;
  const adminKeySource =
    options.adminKey === undefined ? 'admin.key' : (options.adminKeySource ?? 'SWITCHYARD_ADMIN_KEY');
  if (adminKey !== undefined && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    throw new RangeError(
      `the admin key (${adminKeySource}) must be at least ${MIN_ADMIN_KEY_LENGTH} characters`,
    );
  }
  const store = storeFromConfig(options.config, {
    log: (level, message) => logger[level]({ store: 'redis' }, message),
  });
  // Unreachable at start-up is not fatal: the store says so loudly and reconnects on its own.
  if (store !== undefined && (await store.ready(2000))) logger.info({ store: 'redis' }, 'connected to Redis');
  const router = createRouter({
    config: options.config,
    ...(store === undefined ? {} : { store }),
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }),
  });
  const metrics = options.metrics === false ? undefined : createPrometheusMetrics({ router });
  const app = createApp({
    router,
    config: options.config,
    logger: options.logger,
    summarizeModel: options.summarizeModel ?? 'smart',
    ...(metrics === undefined ? {} : { metrics }),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(adminKey === undefined
      ? {}
      : {
          admin: {
            adminKey,
            ...(store === undefined
              ? {}
              : { storeStats: async () => ({ trimmed: await store.trimmedLedgerEntries() }) }),
          },
        }),
  });
  const server = createServer(app);
  // Timeouts and connection caps from the config's `server` (a slowloris or a slow body is cut).
  applyServerLimits(server, options.config.server, {
    // A connection cut before any handler ran (a slowloris, garbage) gets a log line as well.
    onCut: (cut) => logger.warn(cut, 'connection cut before a request handler ran'),
  });
  server.listen(options.port ?? 8787, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let closing: Promise<void> | undefined;
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const close = async (): Promise<void> => {
    const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection whose last answer went out is closed rather than kept for reuse;
    // sweeping while draining costs nothing per request, unlike a listener on every response.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    await stopped;
    clearInterval(sweep);
    clearTimeout(force);
    await router.close();
  };
  return {
    url: `http://${host}:${port}`,
    open: (options.config.keys ?? []).length === 0,
    router,
    metrics,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

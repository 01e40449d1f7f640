import KoaRouter from '@koa/router';
import type { Router, SwitchyardConfig } from '@switchyard/core';
import { createAdminApi, createDashboardPage } from '@switchyard/dashboard';
import { openAIErrors, openAIRoutes, switchyard } from '@switchyard/koa';
import { metricsHandler, type PrometheusMetrics } from '@switchyard/prometheus';
import Koa from 'koa';
import type { Logger } from 'pino';
import { identifyByKey } from './identify-by-key.js';
import { requestLogger } from './request-logger.js';
import { summarize } from './summarize-route.js';

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions {
  router: Router;
  /** The configuration the router was made from (for its gateway keys). */
  config: SwitchyardConfig;
  logger: Logger;
  /**
   * The route `POST /summarize` calls: a cascade, cheap first.
   * @default 'smart'
   */
  summarizeModel?: string;
  /** Served at `GET /metrics` (Prometheus text exposition); no `/metrics` without. */
  metrics?: PrometheusMetrics;
  /** The bearer key `/metrics` asks for (`SWITCHYARD_ADMIN_KEY`; else the config's `admin.key`); open without either. */
  adminKey?: string;
}

/**
 * The demo's Koa app: the OpenAI-compatible routes (`/v1/chat/completions`, `/v1/models`) through
 * the shared Node bridge, and `POST /summarize` on `ctx.state.switchyard`, both behind the same
 * gateway keys; `GET /metrics` when given metrics; one log line per request. With the config's `admin.key`: the admin API and the
 * dashboard (`/admin/spend`, `/admin/requests`, `/admin/routes`, `/dashboard/`), Node handlers of
 * @switchyard/dashboard that Koa leaves the response to.
 */
export function createDemoApp(options: DemoAppOptions): Koa {
  const { router, config, logger } = options;
  const model = options.summarizeModel ?? 'smart';
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: Error) => {
    // Core errors never hold a secret; the stack is left out of the log line all the same.
    logger.error({ error: error.name, message: error.message }, 'unhandled error');
  });

  if (options.metrics !== undefined) {
    // The same admin key as the dashboard's when only the config names one.
    const serve = metricsHandler(options.metrics, { adminKey: options.adminKey ?? config.admin?.key });
    // Before the request log: a scrape is not traffic. Koa hands the raw response to the handler.
    app.use(async (context, next) => {
      if (context.path !== '/metrics' || context.method !== 'GET') return next();
      context.respond = false;
      await serve(context.req, context.res);
    });
  }

  // The gateway routes log their own line (the bridge's onRequest), so they come before the logger.
  app.use(
    openAIRoutes({
      router,
      keys: config.keys,
      cors: config.cors,
      requestLimits: config.requestLimits,
      onRequest: (entry) => logger.info(entry, 'request'),
    }),
  );
  app.use(requestLogger(logger));
  if (config.admin !== undefined) {
    const handlers = [
      createAdminApi({ router, adminKey: config.admin.key, keys: config.keys }),
      createDashboardPage(),
    ];
    app.use(async (ctx, next) => {
      for (const handler of handlers) {
        if (await handler.handle(ctx.req, ctx.res)) {
          ctx.respond = false;
          return;
        }
      }
      await next();
    });
  }

  const routes = new KoaRouter();
  routes.post(
    '/summarize',
    openAIErrors(),
    switchyard({ router, ...identifyByKey({ keys: config.keys, model }) }),
    summarize({ model }),
  );
  app.use(routes.routes());
  app.use(routes.allowedMethods());
  return app;
}

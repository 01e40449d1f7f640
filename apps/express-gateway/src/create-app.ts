import type { Router, SwitchyardConfig } from '@switchyard/core';
import { createKeyRing } from '@switchyard/core/node';
import { openAIErrorHandler, openAINotFound, openAIRouter, switchyard } from '@switchyard/express';
import { metricsHandler, type PrometheusMetrics } from '@switchyard/prometheus';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { type AdminRoutesOptions, adminRoutes } from './admin-routes.js';
import { logAppRequests, logGatewayRequest } from './request-logger.js';
import { summarizeRoute } from './summarize-route.js';

/** What {@link createApp} needs. */
export interface AppOptions {
  router: Router;
  config: SwitchyardConfig;
  logger: Logger;
  /** Largest body of `/v1/chat/completions`; the gateway's default (4 MiB) when omitted. */
  bodyLimitBytes?: number;
  /** The route `/summarize` calls. */
  summarizeModel: string;
  /** With a key, `/admin/ledger` exports and drains the ledger (`SWITCHYARD_ADMIN_KEY`). */
  admin?: Omit<AdminRoutesOptions, 'router'>;
  /**
   * `GET /metrics`, Prometheus' text exposition of these metrics, behind `admin.adminKey` when
   * there is one; no `/metrics` without.
   */
  metrics?: PrometheusMetrics;
}

/**
 * The gateway as an Express app: the OpenAI-compatible router at `/v1` (CORS and request shape
 * limits from the config's `cors` and `requestLimits`), the `/summarize` example
 * route (an ordinary route calling LLMs through `req.switchyard`), `GET /healthz`, `GET /metrics`
 * (Prometheus, behind the admin key when there is one), `/admin` with an admin key, and OpenAI-shaped 404s and errors for everything else.
 */
export function createApp(options: AppOptions): Express {
  const { router, config, logger } = options;
  const keys = createKeyRing(config.keys);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    '/v1',
    openAIRouter({
      router,
      ...(config.keys === undefined ? {} : { keys: config.keys }),
      ...(config.cors === undefined ? {} : { cors: config.cors }),
      ...(config.requestLimits === undefined ? {} : { requestLimits: config.requestLimits }),
      ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
      onRequest: logGatewayRequest(logger),
    }),
  );
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  // Before the request log: a scrape every few seconds is not traffic.
  if (options.metrics !== undefined)
    app.get('/metrics', metricsHandler(options.metrics, { adminKey: options.admin?.adminKey }));
  app.use(logAppRequests(logger));
  if (options.admin !== undefined) app.use('/admin', adminRoutes({ router, ...options.admin }));
  const authenticate: RequestHandler = (request, response, next) => {
    response.locals.key = keys.authenticate(request);
    next();
  };
  app.use(
    '/summarize',
    authenticate,
    switchyard({
      router,
      identify: (request) => {
        const user = request.get('x-user-id');
        return { key: request.res?.locals.key?.name, ...(user === undefined ? {} : { user }), tags: ['app'] };
      },
    }),
  );
  app.use(summarizeRoute({ model: options.summarizeModel, keys }));
  app.use(openAINotFound());
  app.use(openAIErrorHandler());
  return app;
}

import type { Router, SwitchyardConfig } from '@switchyard/core';
import { createKeyRing } from '@switchyard/core/node';
import { createAdminApi, createDashboardPage } from '@switchyard/dashboard';
import { openAIErrorHandler, openAINotFound, openAIRouter, switchyard } from '@switchyard/express';
import { metricsHandler, type PrometheusMetrics } from '@switchyard/prometheus';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
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
  /**
   * With the resolved admin key (`SWITCHYARD_ADMIN_KEY` or the config's `admin.key`): `/admin`
   * (the ledger export and drain, the spend, requests and routes API) and `/dashboard`. Whatever
   * else the operator reads (`/metrics`) takes `admin.adminKey` from here.
   */
  admin?: Omit<AdminRoutesOptions, 'router'>;
  /**
   * `GET /metrics`, Prometheus' text exposition of these metrics, behind `admin.adminKey` when
   * there is one; no `/metrics` without.
   */
  metrics?: PrometheusMetrics;
}

/** A Node handler of @switchyard/dashboard as Express middleware: what it does not answer goes on. */
const nodeHandler =
  (handler: { handle: (request: Request, response: Response) => Promise<boolean> }): RequestHandler =>
  (request, response, next) => {
    handler.handle(request, response).then((answered) => {
      if (!answered) next();
    }, next);
  };

/**
 * The gateway as an Express app: the OpenAI-compatible router at `/v1` (CORS and request shape
 * limits from the config's `cors` and `requestLimits`), the `/summarize` example
 * route (an ordinary route calling LLMs through `req.switchyard`), `GET /healthz`, `GET /metrics`
 * (Prometheus, behind the admin key when there is one), `/admin` and `/dashboard` with an admin
 * key, and OpenAI-shaped 404s and errors for everything else.
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
  if (options.admin !== undefined) {
    const api = createAdminApi({
      router,
      adminKey: options.admin.adminKey,
      ...(config.keys === undefined ? {} : { keys: config.keys }),
    });
    app.use(nodeHandler(api));
    app.use(nodeHandler(createDashboardPage()));
    app.use('/admin', adminRoutes({ router, ...options.admin }));
  }
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

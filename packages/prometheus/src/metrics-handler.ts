import type { IncomingMessage, ServerResponse } from 'node:http';
import { createKeyRing, renderError } from '@switchyard/core/node';
import type { PrometheusMetrics } from './prometheus-metrics.js';

/** Options of {@link metricsHandler}. */
export interface MetricsHandlerOptions {
  /**
   * The bearer key a scrape must present (`Authorization: Bearer <key>`, compared in constant
   * time); without one, `/metrics` is open (keep it on a private network then).
   */
  adminKey?: string | undefined;
}

/**
 * Checks a request's bearer key against the admin key, when one is set: throws core's 401
 * `invalid_api_key` `GatewayError` for a missing or wrong one (never naming the key).
 */
export function metricsGate(adminKey: string | undefined): (request: IncomingMessage) => void {
  if (adminKey === undefined) return () => undefined;
  if (adminKey.length === 0) throw new RangeError('the metrics admin key must not be empty');
  const ring = createKeyRing([{ name: 'admin', key: adminKey }]);
  return (request) => {
    ring.authenticate(request);
  };
}

/**
 * A Node handler answering a Prometheus scrape with the text exposition, behind the admin key when
 * one is set (a wrong or missing key: 401 in OpenAI's error shape). Mount it in any framework that
 * hands out Node's request and response: Express `app.get('/metrics', handler)`, Koa
 * `ctx.respond = false; await handler(ctx.req, ctx.res)`, Nest through the Express adapter.
 * @example
 * const metrics = createPrometheusMetrics({ router });
 * app.get('/metrics', metricsHandler(metrics, { adminKey: process.env.SWITCHYARD_ADMIN_KEY }));
 */
export function metricsHandler(
  metrics: PrometheusMetrics,
  options: MetricsHandlerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const gate = metricsGate(options.adminKey);
  return async (request, response) => {
    try {
      gate(request);
      const text = await metrics.metrics();
      response.statusCode = 200;
      response.setHeader('content-type', metrics.contentType);
      response.setHeader('cache-control', 'no-store');
      response.end(text);
    } catch (error) {
      renderError(response, error);
    }
  };
}

import { traceLogRecord } from '@switchyard/core';
import type { GatewayRequestLog } from '@switchyard/core/node';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { REDACTED_PATHS } from './create-logger.js';

/**
 * The redacted paths that start with a fixed field name. A wildcard path (`*.apiKey`) makes pino
 * walk every field of every line, a quarter of the cost of a request line, and cannot match one:
 * its fields are names, ids, numbers and flags, never an object holding a secret.
 */
const FIXED_PATHS = REDACTED_PATHS.filter((path) => !path.startsWith('*'));

/** Logs one gateway request (from the gateway's `onRequest`): one line, no secret. */
export function logGatewayRequest(logger: Logger): (entry: GatewayRequestLog) => void {
  const lines = logger.child({}, { redact: { paths: FIXED_PATHS, censor: '[redacted]' } });
  return (entry) => {
    if (entry.status >= 500) lines.error(entry, 'request');
    else if (entry.status >= 400) lines.warn(entry, 'request');
    else lines.info(entry, 'request');
  };
}

/**
 * Logs one line per request of the app's own routes (those `req.switchyard` serves) when the
 * answer is over, in the gateway's fields from the routing traces of its calls
 * (`traceLogRecord`): route, served model, attempts, cost, latency.
 */
export function logAppRequests(logger: Logger): RequestHandler {
  const log = logGatewayRequest(logger);
  return (request, response, next) => {
    const started = performance.now();
    response.once('close', () => {
      const entry = {
        ...traceLogRecord({
          method: request.method,
          path: request.path,
          status: response.statusCode,
          key: request.switchyard?.caller.key,
          traces: request.switchyard?.traces,
          started,
        }),
        aborted: !response.writableFinished,
      };
      log(entry);
    });
    next();
  };
}

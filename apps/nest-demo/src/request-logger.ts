import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RoutingTrace, traceLogRecord } from '@switchyard/core';
import type { Logger } from 'pino';

/**
 * Logs one line per request that the gateway endpoints do not log themselves (they log through
 * the bridge's `onRequest`), in the gateway's shape, from the routing traces of the handler's
 * calls (`traceLogRecord`) once the response is finished. Never a key: the key's name only.
 */
export function requestLogger(input: {
  logger: Logger;
  /** Path prefix of the gateway endpoints, e.g. `/v1/`. */
  skip: string;
}): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const { logger, skip } = input;
  return (request, response, next) => {
    // Express shortens `url` below a middleware's mount path; `originalUrl` keeps the whole path.
    const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '';
    const path = url.split('?')[0] ?? '';
    if (path.startsWith(skip)) {
      next();
      return;
    }
    const started = performance.now();
    response.once('close', () => {
      const entry = traceLogRecord({
        method: request.method ?? '',
        path,
        status: response.writableFinished ? response.statusCode : 499,
        // The key's name comes from the calls' caller, as `identify` found it.
        traces: handlerTraces.get(request),
        error: response.statusCode < 400 ? undefined : (errorCodes.get(request) ?? 'http_error'),
        started,
      });
      logger.info(entry, 'request');
    });
    next();
  };
}

/** The traces of the calls a request's handler made (for the log line), set by `HandlerRecorder`. */
export const handlerTraces = new WeakMap<IncomingMessage, readonly RoutingTrace[]>();

/** The error code a request failed with (for the log line), set by `HandlerRecorder`. */
export const errorCodes = new WeakMap<IncomingMessage, string>();

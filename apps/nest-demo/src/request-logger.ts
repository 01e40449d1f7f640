import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRequestLog } from '@switchyard/core/node';
import type { Logger } from 'pino';

/**
 * Logs one line per request that the gateway endpoints do not log themselves (they log through
 * the bridge's `onRequest`), in the gateway's shape (`GatewayRequestLog`), read from the
 * `x-switchyard-*` headers once the response is finished. Never a key: the key's name only.
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
      const header = (name: string): string | undefined => {
        const value = response.getHeader(`x-switchyard-${name}`);
        return value === undefined ? undefined : String(value);
      };
      const entry: GatewayRequestLog = {
        method: request.method ?? '',
        path,
        status: response.writableFinished ? response.statusCode : 499,
        stream: false,
        key: keyNames.get(request),
        requestId: header('request-id'),
        route: header('route'),
        model: header('model') || undefined,
        provider: header('provider') || undefined,
        attempts: Number(header('attempts') ?? 0),
        fallback: header('fallback') === 'true',
        costUsd: header('cost') ?? '0',
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        error: response.statusCode < 400 ? undefined : (errorCodes.get(request) ?? 'http_error'),
      };
      logger.info(entry, 'request');
    });
    next();
  };
}

/** The key's name of a request, as `identify` found it (for the log line). */
export const keyNames = new WeakMap<IncomingMessage, string>();

/** The error code a request failed with (for the log line), set by `ErrorCodeRecorder`. */
export const errorCodes = new WeakMap<IncomingMessage, string>();

import { traceLogRecord } from '@switchyard/core';
import type { SwitchyardClient } from '@switchyard/koa';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const errorCode = (body: unknown): string | undefined => {
  const code = (body as { error?: { code?: unknown } } | null | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Logs one line per request, in the gateway's shape: method, path, status, the key's name (never
 * the key), the route, served model and provider, attempts, fallback, cost and latency, from the
 * routing traces of the calls made through `ctx.state.switchyard` (`traceLogRecord`). Mount it
 * after the gateway routes, which log their own line.
 */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    let thrown: unknown;
    try {
      await next();
    } catch (error) {
      thrown = error;
      throw error;
    } finally {
      const status = thrown === undefined ? ctx.status : ((thrown as { status?: number }).status ?? 500);
      const client = ctx.state.switchyard as SwitchyardClient | undefined;
      const entry = traceLogRecord({
        method: ctx.method,
        path: ctx.path,
        status,
        key: client?.caller.key,
        traces: client?.traces,
        error:
          status < 400
            ? undefined
            : (errorCode(ctx.body) ?? (thrown === undefined ? 'http_error' : 'internal')),
        started,
      });
      logger.info(entry, 'request');
    }
  };
}

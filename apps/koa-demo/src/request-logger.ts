import type { GatewayRequestLog } from '@switchyard/core/node';
import type { SwitchyardClient } from '@switchyard/koa';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const errorCode = (body: unknown): string | undefined => {
  const code = (body as { error?: { code?: unknown } } | null | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Logs one line per request, in the gateway's shape (`GatewayRequestLog`): method, path, status,
 * the key's name (never the key), the route, served model and provider, attempts, fallback, cost
 * and latency, read from the `x-switchyard-*` headers. Mount it after the gateway routes, which
 * log their own line.
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
      const header = (name: string): string | undefined =>
        ctx.response.get(`x-switchyard-${name}`) || undefined;
      const status = thrown === undefined ? ctx.status : ((thrown as { status?: number }).status ?? 500);
      const client = ctx.state.switchyard as SwitchyardClient | undefined;
      const entry: GatewayRequestLog = {
        method: ctx.method,
        path: ctx.path,
        status,
        stream: false,
        key: client?.caller.key,
        requestId: header('request-id'),
        route: header('route'),
        model: header('model'),
        provider: header('provider'),
        attempts: Number(header('attempts') ?? 0),
        fallback: header('fallback') === 'true',
        costUsd: header('cost') ?? '0',
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        error:
          status < 400
            ? undefined
            : (errorCode(ctx.body) ?? (thrown === undefined ? 'http_error' : 'internal')),
      };
      logger.info(entry, 'request');
    }
  };
}

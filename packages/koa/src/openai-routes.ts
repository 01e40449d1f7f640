import type { IncomingMessage } from 'node:http';
import { createGateway, GatewayError, type GatewayOptions } from '@switchyard/core/node';
import type { Context, Middleware } from 'koa';
import { renderOpenAIError } from './openai-errors.js';

/** Options of {@link openAIRoutes}. */
export interface OpenAIRoutesOptions extends GatewayOptions {
  /**
   * Path prefix of the routes: `${prefix}/chat/completions`, `${prefix}/models`.
   * @default '/v1'
   */
  prefix?: string;
}

type Handler = (request: IncomingMessage, response: Context['res']) => Promise<void>;

/**
 * Koa middleware serving the OpenAI-compatible endpoints through the shared Node bridge of
 * `@switchyard/core/node`: `POST {prefix}/chat/completions` (JSON or SSE) and
 * `GET {prefix}/models`. The bridge reads the body itself (413 past `bodyLimitBytes`, 400 naming
 * the bad field), checks the gateway key (401, 403), writes the routing trace as `x-switchyard-*`
 * headers and the whole cost in `usage.cost`, and aborts the upstream call when the client
 * disconnects; Koa is told to keep out (`ctx.respond = false`). A wrong method is a 405 in
 * OpenAI's error shape; other paths go to the next middleware, and a path under the prefix that
 * nothing answered is a 404 in OpenAI's error shape.
 *
 * Mount it before any body parser (a body a parser already read is used as it is).
 *
 * @example
 * const app = new Koa();
 * app.use(openAIRoutes({ router, keys: config.keys, onRequest: (entry) => logger.info(entry) }));
 */
export function openAIRoutes(options: OpenAIRoutesOptions): Middleware {
  const { prefix = '/v1', ...gatewayOptions } = options;
  const gateway = createGateway(gatewayOptions);
  const routes = new Map<string, { method: string; handler: Handler }>([
    [`${prefix}/chat/completions`, { method: 'POST', handler: gateway.chatCompletions }],
    [`${prefix}/models`, { method: 'GET', handler: gateway.models }],
  ]);
  return async (ctx, next) => {
    const route = routes.get(ctx.path);
    if (route === undefined) {
      await next();
      // A path under the prefix nothing else answered: a 404 an OpenAI SDK can read.
      if (
        ctx.status === 404 &&
        ctx.body == null &&
        ctx.respond !== false &&
        ctx.path.startsWith(`${prefix}/`)
      ) {
        renderOpenAIError(
          ctx,
          new GatewayError({
            status: 404,
            code: 'not_found',
            message: `no endpoint ${ctx.method} ${ctx.path}`,
          }),
        );
      }
      return;
    }
    if (ctx.method !== route.method) {
      renderOpenAIError(
        ctx,
        new GatewayError({
          status: 405,
          code: 'method_not_allowed',
          message: `${ctx.method} ${ctx.path} is not allowed; use ${route.method}`,
          headers: { allow: route.method },
        }),
      );
      return;
    }
    const parsed = (ctx.request as { body?: unknown }).body;
    if (parsed !== undefined) (ctx.req as IncomingMessage & { body?: unknown }).body = parsed;
    ctx.respond = false;
    await route.handler(ctx.req, ctx.res);
  };
}

import type { IncomingMessage } from 'node:http';
import { createGateway, type GatewayOptions, notFoundError } from '@switchyard/core/node';
import type { Middleware } from 'koa';
import { renderOpenAIError } from './openai-errors.js';

/** Options of {@link openAIRoutes}. */
export interface OpenAIRoutesOptions extends GatewayOptions {
  /**
   * Path prefix of the routes: `${prefix}/chat/completions`, `${prefix}/models`.
   * @default '/v1'
   */
  prefix?: string;
}

/**
 * Koa middleware serving the OpenAI-compatible endpoints through the shared Node bridge of
 * `@switchyard/core/node`: `POST {prefix}/chat/completions` (JSON or SSE), `POST {prefix}/embeddings`,
 * `POST {prefix}/responses` (the Responses API), `POST {prefix}/messages` and
 * `{prefix}/messages/count_tokens` (Anthropic's Messages API), `GET {prefix}/models`
 * and `GET {prefix}/models/{id}`. The bridge reads the body itself (gzip, deflate and br
 * decompressed; 413 past `bodyLimitBytes`, 400 naming the bad field), checks the gateway key (401,
 * 403), writes the routing trace as `x-switchyard-*` headers and the whole cost in `usage.cost`,
 * answers CORS preflights by the `cors` option and any other wrong method with a 405 in OpenAI's
 * error shape, and aborts the upstream call when the client disconnects; Koa is told to keep out
 * (`ctx.respond = false`). Other paths go to the next middleware, and a path under the prefix that
 * nothing answered is a 404 in OpenAI's error shape.
 *
 * Mount it before any body parser (a body a parser already read is used as it is).
 *
 * @example
 * const app = new Koa();
 * app.use(openAIRoutes({ router, keys: config.keys, cors: config.cors, onRequest: (entry) => logger.info(entry) }));
 */
export function openAIRoutes(options: OpenAIRoutesOptions): Middleware {
  const { prefix = '/v1', ...gatewayOptions } = options;
  const gateway = createGateway(gatewayOptions);
  return async (ctx, next) => {
    const below = ctx.path.startsWith(`${prefix}/`);
    if (below) {
      const parsed = (ctx.request as { body?: unknown }).body;
      if (parsed !== undefined) (ctx.req as IncomingMessage & { body?: unknown }).body = parsed;
      if (await gateway.handle(ctx.req, ctx.res, ctx.path.slice(prefix.length))) {
        ctx.respond = false;
        return;
      }
    }
    await next();
    // A path under the prefix nothing else answered: a 404 an OpenAI SDK can read.
    if (below && ctx.status === 404 && ctx.body == null && ctx.respond !== false) {
      renderOpenAIError(ctx, notFoundError({ method: ctx.method, path: ctx.path }));
    }
  };
}

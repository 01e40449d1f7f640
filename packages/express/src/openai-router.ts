import { createGateway, type GatewayOptions } from '@switchyard/core/node';
import { type Router as ExpressRouter, Router } from 'express';

/** An Express router serving OpenAI's endpoints; `open` is true when no gateway key is configured. */
export type OpenAIRouter = ExpressRouter & { readonly open: boolean };

const MODEL_PREFIX = '/models/';

/**
 * OpenAI-compatible endpoints as an Express router: `POST /chat/completions` (JSON or SSE),
 * `POST /embeddings`, `POST /responses` (the Responses API), `POST /messages` and `/messages/count_tokens`
 * (Anthropic's Messages API), `GET /models` and `GET /models/{id}`; a CORS preflight there is answered by the `cors` option,
 * other methods get a 405. Mount it at `/v1`. Express matches the paths, the shared Node gateway
 * does the rest: it reads the body (no `express.json()` needed; gzip, deflate and br decompressed),
 * authenticates keys, applies budgets and writes errors in OpenAI's shape.
 * @example app.use('/v1', openAIRouter({ router, keys: config.keys, cors: config.cors, onRequest: (entry) => logger.info(entry) }));
 */
export function openAIRouter(options: GatewayOptions): OpenAIRouter {
  // Express answers HEAD with a GET route; so does the gateway on /models.
  const gateway = createGateway({ head: true, ...options });
  const router = Router();
  // Every method goes to the gateway, which answers wrong ones (405) and CORS preflights itself.
  for (const path of [
    '/chat/completions',
    '/embeddings',
    '/responses',
    '/messages',
    '/messages/count_tokens',
    '/models',
  ]) {
    // The gateway logs `originalUrl` when there is one, so the mount point stays in the log.
    router.all(path, async (request, response) => {
      await gateway.handle(request, response, path);
    });
  }
  // A model id may hold `/` (`openai/gpt-4o-mini`, or `openai%2Fgpt-4o-mini` as the openai SDK
  // sends it): the gateway reads it from the path as it came, after the prefix (which Express
  // matched ignoring case).
  router.all('/models/*id', async (request, response, next) => {
    const id = (request.url.split('?')[0] ?? '').slice(MODEL_PREFIX.length);
    if (!(await gateway.handle(request, response, `${MODEL_PREFIX}${id}`))) next();
  });
  return Object.assign(router, { open: gateway.open });
}

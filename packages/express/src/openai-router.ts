import { createGateway, type GatewayOptions } from '@switchyard/core/node';
import { type Router as ExpressRouter, Router } from 'express';

/** An Express router serving OpenAI's endpoints; `open` is true when no gateway key is configured. */
export type OpenAIRouter = ExpressRouter & { readonly open: boolean };

/**
 * OpenAI-compatible endpoints as an Express router: `POST /chat/completions` (JSON or SSE) and
 * `GET /models`; other methods on them get a 405. Mount it at `/v1`. Express matches the paths,
 * the shared Node gateway does the rest: it reads the body (no `express.json()` needed),
 * authenticates keys, applies budgets and writes errors in OpenAI's shape.
 * @example app.use('/v1', openAIRouter({ router, keys: config.keys, onRequest: (entry) => logger.info(entry) }));
 */
export function openAIRouter(options: GatewayOptions): OpenAIRouter {
  // Express answers HEAD with a GET route; so does the gateway on /models.
  const gateway = createGateway({ head: true, ...options });
  const router = Router();
  for (const path of ['/chat/completions', '/models']) {
    // The gateway logs `originalUrl` when there is one, so the mount point stays in the log.
    router.all(path, async (request, response) => {
      await gateway.handle(request, response, path);
    });
  }
  return Object.assign(router, { open: gateway.open });
}

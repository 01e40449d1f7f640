import { createGateway, GatewayError, type GatewayOptions, toOpenAIError } from '@switchyard/core/node';
import { type Router as ExpressRouter, type RequestHandler, Router } from 'express';

/** An Express router serving OpenAI's endpoints; `open` is true when no gateway key is configured. */
export type OpenAIRouter = ExpressRouter & { readonly open: boolean };

/** Answers a wrong method with 405, `Allow`, and OpenAI's error JSON. */
function methodNotAllowed(allow: string): RequestHandler {
  return (request, response) => {
    const { status, headers, body } = toOpenAIError(
      new GatewayError({
        status: 405,
        code: 'method_not_allowed',
        message: `${request.method} ${request.originalUrl.split('?')[0]} is not allowed; use ${allow}`,
        headers: { allow },
      }),
    );
    response.status(status).set(headers).json(body);
  };
}

/**
 * OpenAI-compatible endpoints as an Express router: `POST /chat/completions` (JSON or SSE) and
 * `GET /models`; other methods on them get a 405. Mount it at `/v1`. The body is read by the shared
 * Node gateway (no `express.json()` needed), which authenticates keys, applies budgets and writes
 * errors in OpenAI's shape.
 * @example app.use('/v1', openAIRouter({ router, keys: config.keys, onRequest: (entry) => logger.info(entry) }));
 */
export function openAIRouter(options: GatewayOptions): OpenAIRouter {
  const gateway = createGateway(options);
  const router = Router();
  // The gateway logs `originalUrl` when there is one, so the mount point stays in the log.
  router.post('/chat/completions', (request, response) => gateway.chatCompletions(request, response));
  router.all('/chat/completions', methodNotAllowed('POST'));
  router.get('/models', (request, response) => gateway.models(request, response));
  router.all('/models', methodNotAllowed('GET'));
  return Object.assign(router, { open: gateway.open });
}

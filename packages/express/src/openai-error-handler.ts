import { errorAnswer, notFoundError } from '@switchyard/core/node';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * Express error handler that answers in OpenAI's error shape `{ error: { message, type, code, param } }`
 * with the error's status and headers (`Retry-After`), plus the routing trace headers of a
 * `RoutingError` (the core's `errorAnswer`). Body-parser errors are named as the gateway names them
 * (`invalid_json`, `body_too_large`); anything that is not a Switchyard or client error is a 500
 * whose message is not shown. Register it after your routes.
 */
export function openAIErrorHandler(): ErrorRequestHandler {
  // biome-ignore lint/complexity/useMaxParams: Express tells error handlers apart by their four parameters.
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const { status, headers, body } = errorAnswer(error);
    response.status(status).set(headers).json(body);
  };
}

/** A final handler: any request no route matched is a 404 in OpenAI's shape. */
export function openAINotFound(): RequestHandler {
  return (request, _response, next) => {
    next(notFoundError({ method: request.method, path: request.path }));
  };
}

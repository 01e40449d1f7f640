import { RoutingError, SwitchyardError } from '@switchyard/core';
import { GatewayError, toOpenAIError, traceHeaders } from '@switchyard/core/node';
import type { ErrorRequestHandler, RequestHandler } from 'express';

interface HttpErrorLike {
  status?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

/** Errors from Express's own body parsers (`express.json()`), as the gateway would name them. */
function fromBodyParser(error: HttpErrorLike): GatewayError | undefined {
  if (error.type === 'entity.parse.failed') {
    return new GatewayError({ status: 400, code: 'invalid_json', message: `request body is not valid JSON` });
  }
  if (error.type === 'entity.too.large') {
    return new GatewayError({ status: 413, code: 'body_too_large', message: 'request body is too large' });
  }
  if (typeof error.status === 'number' && error.status < 500 && error.expose === true) {
    return new GatewayError({
      status: error.status,
      code: 'invalid_request',
      message: String(error.message),
    });
  }
  return undefined;
}

/**
 * Express error handler that answers in OpenAI's error shape `{ error: { message, type, code, param } }`
 * with the error's status and headers (`Retry-After`), plus the routing trace headers of a
 * `RoutingError`. Anything that is not a Switchyard, gateway or client error is a 500 whose message
 * is not shown. Register it after your routes.
 */
export function openAIErrorHandler(): ErrorRequestHandler {
  // biome-ignore lint/complexity/useMaxParams: Express tells error handlers apart by their four parameters.
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const known =
      SwitchyardError.isInstance(error) || typeof error !== 'object' || error === null
        ? error
        : (fromBodyParser(error as HttpErrorLike) ?? error);
    const { status, headers, body } = toOpenAIError(known);
    const trace = RoutingError.isInstance(error) ? error.trace : undefined;
    response
      .status(status)
      .set({ ...(trace === undefined ? {} : traceHeaders(trace)), ...headers })
      .json(body);
  };
}

/** A final handler: any request no route matched is a 404 in OpenAI's shape. */
export function openAINotFound(): RequestHandler {
  return (request, _response, next) => {
    next(
      new GatewayError({
        status: 404,
        code: 'not_found',
        message: `no endpoint ${request.method} ${request.path}`,
      }),
    );
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, readJsonBody } from '@switchyard/core/node';
import { errorCodes } from './request-logger.js';

/**
 * Middleware that parses a JSON body with the core's reader (the app runs without Nest's body
 * parser, so the gateway endpoints read theirs themselves): 413 past `limitBytes`, 400 for a body
 * that is not JSON, both in OpenAI's shape through `SwitchyardExceptionFilter`.
 */
export function jsonBody(options: {
  limitBytes: number;
}): (
  request: IncomingMessage & { body?: unknown },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  return (request, _response, next) => {
    readJsonBody(request, { limitBytes: options.limitBytes }).then(
      (body) => {
        request.body = body;
        next();
      },
      (error: unknown) => {
        if (GatewayError.isInstance(error)) errorCodes.set(request, error.code);
        next(error);
      },
    );
  };
}

import { GatewayError } from './gateway-error.js';

/** The method and whole path of a request, as its error messages name them. */
export interface RequestLine {
  method: string;
  path: string;
}

/**
 * The 404 `not_found` of a path no endpoint serves, in the words every adapter uses:
 * `no endpoint POST /v1/rerank`.
 */
export function notFoundError(request: RequestLine): GatewayError {
  return new GatewayError({ code: 'not_found', message: `no endpoint ${request.method} ${request.path}` });
}

/** The 405 `method_not_allowed` of a wrong method on an endpoint, naming the right ones in `Allow`. */
export function methodNotAllowedError(request: RequestLine & { allow: string }): GatewayError {
  return new GatewayError({
    code: 'method_not_allowed',
    message: `${request.method} ${request.path} is not allowed; use ${request.allow}`,
    headers: { allow: request.allow },
  });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsConfig } from '../config/config-types.js';
import { GatewayError } from './gateway-error.js';
import { renderError } from './render-error.js';

/** Default `Access-Control-Max-Age`: ten minutes (Chrome caps it at two hours). */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 600;

/**
 * Request headers granted when a preflight names none: the key, the body's type, and what the
 * official `openai` SDK sends from a browser (`dangerouslyAllowBrowser`).
 */
const DEFAULT_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'openai-organization',
  'openai-project',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
].join(', ');

/** Answer headers a page may read: the routing trace, and when to retry after a 429. */
const EXPOSED_HEADERS = [
  'x-switchyard-request-id',
  'x-switchyard-route',
  'x-switchyard-model',
  'x-switchyard-provider',
  'x-switchyard-attempts',
  'x-switchyard-fallback',
  'x-switchyard-cost',
  'x-switchyard-cache',
  'x-switchyard-skipped',
  'x-switchyard-rule',
  'x-switchyard-policy-tightened',
  'retry-after',
].join(', ');

/** A comma-separated list of header names, as `Access-Control-Request-Headers` holds. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/** The CORS rules of a gateway's endpoints, from the config's `cors`. */
export interface CorsPolicy {
  /**
   * Answers a preflight: 204 with the `Access-Control-Allow-*` headers for a listed origin, a 403
   * `origin_not_allowed` (no grant) for any other.
   * @param methods what the endpoint accepts, e.g. `POST`
   */
  preflight(request: IncomingMessage, response: ServerResponse, methods: string): void;
  /**
   * Sets the headers that let a page on a listed origin read the answer (status, body, trace
   * headers) on the response, before it is written; nothing for another origin or no `Origin`.
   */
  grant(request: IncomingMessage, response: ServerResponse): void;
}

/** True for a CORS preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(request: IncomingMessage): boolean {
  return (
    request.method === 'OPTIONS' &&
    typeof request.headers.origin === 'string' &&
    typeof request.headers['access-control-request-method'] === 'string'
  );
}

/**
 * Creates the CORS rules of a gateway. Without a config (the default) no origin is listed: every
 * preflight is refused and no answer carries a grant.
 * @throws TypeError for `*` with `credentials`, which browsers refuse
 */
export function createCorsPolicy(config: CorsConfig | undefined): CorsPolicy {
  const origins = new Set(config?.origins ?? []);
  const any = origins.has('*');
  const credentials = config?.credentials === true;
  if (any && credentials) {
    throw new TypeError('cors: origin "*" cannot be combined with credentials: true; list the origins');
  }
  const maxAge = String(config?.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_SECONDS);

  /** The `Access-Control-Allow-Origin` of a request's origin, or undefined when it is not listed. */
  const allowOrigin = (request: IncomingMessage): string | undefined => {
    const { origin } = request.headers;
    if (origin === undefined) return undefined;
    if (origins.has(origin)) return origin;
    return any ? '*' : undefined;
  };

  /** The grant every answer to a listed origin carries, preflight or not. */
  const setOrigin = (response: ServerResponse, allowed: string): void => {
    response.setHeader('access-control-allow-origin', allowed);
    // The answer depends on the origin unless every origin gets the same one.
    if (allowed !== '*') response.appendHeader('vary', 'Origin');
    if (credentials) response.setHeader('access-control-allow-credentials', 'true');
  };

  return {
    preflight(request, response, methods) {
      const allowed = allowOrigin(request);
      if (allowed === undefined) {
        const origin = request.headers.origin ?? '';
        renderError(
          response,
          new GatewayError({
            code: 'origin_not_allowed',
            message:
              origins.size === 0
                ? `cross-origin requests are not enabled on this gateway (origin ${origin}); list the origin in the config's cors.origins`
                : `origin ${origin} may not call this gateway from a browser; list it in the config's cors.origins`,
          }),
        );
        return;
      }
      setOrigin(response, allowed);
      const requested = request.headers['access-control-request-headers'];
      response.writeHead(204, [
        'access-control-allow-methods',
        methods,
        'access-control-allow-headers',
        typeof requested === 'string' && HEADER_LIST.test(requested.trim())
          ? requested.trim()
          : DEFAULT_ALLOWED_HEADERS,
        'access-control-max-age',
        maxAge,
        'content-length',
        '0',
      ]);
      response.end();
    },

    grant(request, response) {
      if (origins.size === 0) return;
      const allowed = allowOrigin(request);
      if (allowed === undefined) return;
      setOrigin(response, allowed);
      response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    },
  };
}

import { RoutingError } from '../errors/routing-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { GatewayError } from './gateway-error.js';
import { type OpenAIErrorAnswer, toOpenAIError } from './to-openai-error.js';
import { traceHeaders, unroutedHeaders } from './trace-headers.js';

/** Options of {@link errorAnswer} and `renderError`. */
export interface ErrorAnswerOptions {
  /**
   * Give an error without a routing trace the headers of a request refused before routing
   * (`x-switchyard-attempts: 0`, `x-switchyard-cost: 0`, `model` as the route), as the gateway's
   * endpoints do.
   * @default false: only a RoutingError's trace headers are added
   */
  unrouted?: boolean;
  /** The model the request asked for, once its body was read (the route of the unrouted headers). */
  model?: string | undefined;
}

interface HttpErrorLike {
  status?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

/**
 * An http-errors error (a body parser's, `createError(404)`) as the gateway names it: a body that
 * is not JSON is a 400 `invalid_json`, one too large a 413 `body_too_large`, any other exposed
 * error below 500 an `invalid_request` with its status and message (not its headers). Anything
 * else is left to `toOpenAIError`.
 */
function fromHttpError(error: unknown): unknown {
  if (SwitchyardError.isInstance(error) || typeof error !== 'object' || error === null) return error;
  const candidate = error as HttpErrorLike;
  if (candidate.type === 'entity.parse.failed') {
    return new GatewayError({ code: 'invalid_json', message: 'request body is not valid JSON' });
  }
  if (candidate.type === 'entity.too.large') {
    return new GatewayError({ code: 'body_too_large', message: 'request body is too large' });
  }
  if (typeof candidate.status === 'number' && candidate.status < 500 && candidate.expose === true) {
    return new GatewayError({
      status: candidate.status,
      code: 'invalid_request',
      message: String(candidate.message),
    });
  }
  return error;
}

/**
 * Anything thrown as the HTTP answer every adapter gives: OpenAI's error JSON with its status
 * (`toOpenAIError`, after naming http-errors errors as the gateway does), the error's headers
 * (`Retry-After`, `Allow`), and the routing trace as `x-switchyard-*` headers for a RoutingError
 * (or, with `unrouted`, the headers of a request nothing was spent on). For adapters that write
 * the answer through their framework; `renderError` writes it on a Node response.
 */
export function errorAnswer(error: unknown, options: ErrorAnswerOptions = {}): OpenAIErrorAnswer {
  const answer = toOpenAIError(fromHttpError(error));
  const trace = RoutingError.isInstance(error) ? error.trace : undefined;
  const traced =
    trace !== undefined
      ? traceHeaders(trace)
      : options.unrouted === true
        ? unroutedHeaders(options.model)
        : undefined;
  return traced === undefined ? answer : { ...answer, headers: { ...traced, ...answer.headers } };
}

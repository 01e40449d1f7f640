import { RoutingError } from '../../errors/routing-error.js';
import { type ErrorAnswerOptions, errorAnswer } from '../../node/error-answer.js';
import type { AnthropicErrorBody, AnthropicErrorType } from './messages-types.js';

/** Anthropic's error type of each status it documents (others: `api_error` at 5xx, else invalid request). */
const TYPE_BY_STATUS: ReadonlyMap<number, AnthropicErrorType> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [502, 'api_error'],
  // Every target down or a store unavailable: Anthropic's word for "try again shortly".
  [503, 'overloaded_error'],
  [504, 'timeout_error'],
  [529, 'overloaded_error'],
]);

/** Anthropic's error type of an HTTP status. */
export function anthropicErrorType(status: number): AnthropicErrorType {
  return TYPE_BY_STATUS.get(status) ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** An error as an HTTP answer in Anthropic's shape: its status, its headers, the body. */
export interface AnthropicErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: AnthropicErrorBody;
}

/**
 * Anything thrown as the answer of the Messages door: the status, message and headers
 * (`Retry-After`, the `x-switchyard-*` trace) that every door gives, in Anthropic's shape
 * (`{ "type": "error", "error": { "type", "message" }, "request_id" }`), the request id also as
 * the `request-id` header Anthropic's SDK reads. The message never holds a secret.
 */
export function anthropicError(error: unknown, options: ErrorAnswerOptions = {}): AnthropicErrorAnswer {
  const answer = errorAnswer(error, options);
  const requestId = RoutingError.isInstance(error) ? error.trace.id : null;
  const headers =
    requestId === null ? answer.headers : Object.assign({}, answer.headers, { 'request-id': requestId });
  return {
    status: answer.status,
    headers,
    body: {
      type: 'error',
      error: { type: anthropicErrorType(answer.status), message: answer.body.error.message },
      request_id: requestId,
    },
  };
}

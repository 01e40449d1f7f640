import { stampRetryable } from '@langchain/core/errors';
import { RoutingError } from '@switchyard/core';

/**
 * Whether a whole routed request is worth sending again: the error's own `retryable` (transient
 * failures: rate limits, unavailable upstreams, timeouts, network errors, unparseable answers; and
 * `all_targets_failed`). A request the router rejected (4xx: invalid, unknown route, over budget or
 * ceiling, context too long), an abort, a rejected answer or a broken stream is never retried.
 */
export function isRetryableFailure(error: unknown): boolean {
  return RoutingError.isInstance(error) && error.retryable;
}

/**
 * `onFailedAttempt` of the model's LangChain `AsyncCaller` (used when `maxRetries` > 0): it lets
 * LangChain retry only what {@link isRetryableFailure} allows, and throws anything else at once.
 * The router has already retried and fallen back within the request.
 */
export function switchyardFailedAttemptHandler(error: unknown): void {
  if (!isRetryableFailure(error)) throw error;
}

/**
 * Marks an error with LangChain's retryable flag (`stampRetryable`), so LangChain's own retry
 * logic (the default `AsyncCaller` handler, agents' model retry) agrees with Switchyard's.
 */
export function markRetryable<T>(error: T): T {
  return RoutingError.isInstance(error) ? stampRetryable(error, isRetryableFailure(error)) : error;
}

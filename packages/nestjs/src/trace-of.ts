import { RoutingError, type RoutingTrace } from '@switchyard/core';

/** The routing trace a `RoutingError` carries (from any copy of the core), if the error is one. */
export function traceOf(error: unknown): RoutingTrace | undefined {
  return RoutingError.isInstance(error) ? error.trace : undefined;
}

import { type RoutingTrace, SwitchyardError } from '@switchyard/core';

/** The routing trace a `RoutingError` carries (from any copy of the core), if the error is one. */
export function traceOf(error: unknown): RoutingTrace | undefined {
  return SwitchyardError.isInstance(error) && 'trace' in error ? (error.trace as RoutingTrace) : undefined;
}

import type { RoutingTrace, UsageReport } from '../trace/routing-trace.js';

/**
 * The usage of the attempt that served a request, as the router read it from the upstream (or
 * estimated it, for a stream that reported none): what a door shows as the answer's usage. The
 * cost beside it is the whole request's (`trace.costUsd`), failed and rejected attempts included.
 */
export function servedUsage(trace: RoutingTrace): UsageReport | undefined {
  for (let index = trace.attempts.length - 1; index >= 0; index -= 1) {
    const attempt = trace.attempts[index];
    if (attempt?.outcome === 'success') return attempt.usage;
  }
  return undefined;
}

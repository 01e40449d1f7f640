import type { RoutingTrace } from '../trace/routing-trace.js';

/** The routing trace as response headers: route, served model and provider, attempts, fallback, cost. */
export function traceHeaders(trace: RoutingTrace): Record<string, string> {
  return {
    'x-switchyard-request-id': trace.id,
    'x-switchyard-route': trace.route ?? trace.requestedModel,
    'x-switchyard-model': trace.served?.returnedModel ?? '',
    'x-switchyard-provider': trace.served?.provider ?? '',
    'x-switchyard-attempts': String(trace.attempts.length),
    'x-switchyard-fallback': String(trace.fallback || trace.escalated),
    'x-switchyard-cost': trace.costUsd,
  };
}

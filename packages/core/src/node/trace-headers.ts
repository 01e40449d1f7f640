import type { ServerResponse } from 'node:http';
import { formatUsd, parseUsd } from '../pricing/money.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { safeHeaderValue } from './safe-header-value.js';

/**
 * The routing trace as a flat header list (`[name, value, name, value, ...]`), as
 * `response.writeHead` takes it without building an object: route, served model and provider,
 * attempts, fallback, cost, what the answer cache did (`x-switchyard-cache: hit | miss | bypass`,
 * when the route caches), the rule each `conditional` route matched (`x-switchyard-rule: smart:0`,
 * `smart:default`), the request's provider-policy fields config tightened
 * (`x-switchyard-policy-tightened: data_collection, only`) and the targets passed over with the reason
 * (`x-switchyard-skipped: premium:budget`). A name that is not printable ASCII is percent-encoded
 * as UTF-8 (`safeHeaderValue`).
 */
export function traceHeaderList(trace: RoutingTrace): string[] {
  const list = [
    'x-switchyard-request-id',
    trace.id,
    // Names a client, an upstream or the config chose: encoded when they are not printable ASCII.
    'x-switchyard-route',
    safeHeaderValue(trace.route ?? trace.requestedModel),
    'x-switchyard-model',
    safeHeaderValue(trace.served?.returnedModel ?? ''),
    'x-switchyard-provider',
    safeHeaderValue(trace.served?.provider ?? ''),
    'x-switchyard-attempts',
    String(trace.attempts.length),
    'x-switchyard-fallback',
    String(trace.fallback || trace.escalated),
    'x-switchyard-cost',
    trace.costUsd,
  ];
  if (trace.cache !== undefined) list.push('x-switchyard-cache', trace.cache);
  if (trace.rules !== undefined) {
    list.push(
      'x-switchyard-rule',
      safeHeaderValue(trace.rules.map((each) => `${each.route}:${each.rule}`).join(', ')),
    );
  }
  if (trace.policyTightened !== undefined && trace.policyTightened.length > 0)
    list.push('x-switchyard-policy-tightened', trace.policyTightened.join(', '));
  if (trace.skipped.length > 0) {
    list.push(
      'x-switchyard-skipped',
      safeHeaderValue(trace.skipped.map((skipped) => `${skipped.target}:${skipped.reason}`).join(', ')),
    );
  }
  return list;
}

/**
 * The routing trace as response headers: route, served model and provider, attempts, fallback,
 * cost, and the targets passed over with the reason (`x-switchyard-skipped: premium:budget`).
 */
export function traceHeaders(trace: RoutingTrace): Record<string, string> {
  const list = traceHeaderList(trace);
  const headers: Record<string, string> = {};
  for (let index = 0; index < list.length; index += 2)
    headers[list[index] as string] = list[index + 1] as string;
  return headers;
}

/** Headers of an answer refused before routing (bad body, bad key): nothing was attempted or spent. */
export function unroutedHeaders(model: string | undefined): Record<string, string> {
  return {
    'x-switchyard-route': safeHeaderValue(model ?? ''),
    'x-switchyard-model': '',
    'x-switchyard-provider': '',
    'x-switchyard-attempts': '0',
    'x-switchyard-fallback': 'false',
    'x-switchyard-cost': '0',
  };
}

/**
 * Sets the trace headers of a request that made several calls (a handler calling the router more
 * than once): the latest call's route, model, provider and fallback; `x-switchyard-attempts` and
 * `x-switchyard-cost` added up over every call, failed ones included. Does nothing once the
 * headers are sent.
 */
export function setTraceHeaders(response: ServerResponse, traces: readonly RoutingTrace[]): void {
  const latest = traces.at(-1);
  if (latest === undefined || response.headersSent) return;
  const headers = traceHeaders(latest);
  headers['x-switchyard-attempts'] = String(traces.reduce((sum, each) => sum + each.attempts.length, 0));
  headers['x-switchyard-cost'] = formatUsd(traces.reduce((sum, each) => sum + parseUsd(each.costUsd), 0n));
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { RoutingError } from '../errors/routing-error.js';
import { currentTracer } from '../telemetry/router-telemetry.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { requestPath } from './request-path.js';

/** The server span of each request being answered, and the context its children start in. */
const serverSpans = new WeakMap<IncomingMessage, { span: Span; context: Context }>();

/**
 * Answers a request within its server span, named `{method} {route}` (`POST /chat/completions`,
 * the endpoint below the mount point: bounded). Its parent is the span active around the call (an
 * app's own HTTP instrumentation), else the request's W3C `traceparent` / `tracestate`. The span's
 * context reaches the router through the call options ({@link serverTraceContext}), not through
 * async context propagation: the gateway then runs with no AsyncLocalStorage at all (which, on
 * Node 20, doubles the cost of every `await`). Without an OpenTelemetry SDK nothing records and
 * `run` is called as is.
 */
export async function withServerSpan(
  request: IncomingMessage,
  response: ServerResponse,
  input: { route: string; run: () => Promise<void> },
): Promise<void> {
  const method = request.method ?? 'GET';
  const active = context.active();
  const parent = trace.getSpan(active) === undefined ? propagation.extract(active, request.headers) : active;
  const span = currentTracer().startSpan(`${method} ${input.route}`, { kind: SpanKind.SERVER }, parent);
  if (!span.isRecording()) {
    // Sampled out (or no SDK): the children still follow the caller's sampling decision.
    if (!trace.isSpanContextValid(span.spanContext())) return input.run();
    serverSpans.set(request, { span, context: trace.setSpan(parent, span) });
    return input.run();
  }
  span.setAttributes({
    'http.request.method': method,
    'http.route': input.route,
    'url.path': requestPath(request),
    'url.scheme': 'http',
  });
  const userAgent = request.headers['user-agent'];
  if (userAgent !== undefined) span.setAttribute('user_agent.original', userAgent);
  serverSpans.set(request, { span, context: trace.setSpan(parent, span) });
  try {
    await input.run();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
}

/** The context a request's router call starts its spans in: its server span's, when it has one. */
export function serverTraceContext(request: IncomingMessage | undefined): Context | undefined {
  return request === undefined ? undefined : serverSpans.get(request)?.context;
}

/**
 * Writes the request's routing onto its server span, when one records: the GenAI request
 * and response attributes, and Switchyard's own (`switchyard.*`: route, served target, fallback,
 * escalation, hedging, route surprise, cost, skipped targets, the caller's key by name). Never a
 * secret: keys are named, messages carry no key.
 */
export function annotateServerSpan(input: {
  request: IncomingMessage;
  trace: RoutingTrace | undefined;
  error: unknown;
  /** The gateway key's name. */
  key: string | undefined;
}): void {
  const span = serverSpans.get(input.request)?.span;
  if (span === undefined || !span.isRecording()) return;
  const routing = input.trace;
  if (input.key !== undefined) span.setAttribute('switchyard.key', input.key);
  if (RoutingError.isInstance(input.error)) span.setAttribute('error.type', input.error.code);
  if (routing === undefined) return;
  const attributes: Attributes = {
    'gen_ai.operation.name': routing.operation,
    'gen_ai.request.model': routing.requestedModel,
    'switchyard.request_id': routing.id,
    'switchyard.fallback': routing.fallback,
    'switchyard.escalated': routing.escalated,
    'switchyard.hedged': routing.hedged,
    'switchyard.route_surprise': routing.routeSurprise,
    'switchyard.cost_usd': routing.costUsd,
    'switchyard.attempts': routing.attempts.length,
    'gen_ai.usage.input_tokens': routing.promptTokens,
    'gen_ai.usage.output_tokens': routing.completionTokens,
  };
  if (routing.route !== undefined) attributes['switchyard.route'] = routing.route;
  if (routing.strategy !== undefined) attributes['switchyard.strategy'] = routing.strategy;
  if (routing.cache !== undefined) attributes['switchyard.cache'] = routing.cache;
  const served = routing.served;
  if (served !== undefined) {
    attributes['switchyard.target'] = served.target;
    attributes['gen_ai.provider.name'] = served.provider;
    attributes['gen_ai.response.model'] = served.returnedModel;
  }
  if (routing.skipped.length > 0)
    attributes['switchyard.skipped_targets'] = routing.skipped.map(
      (skipped) => `${skipped.target}:${skipped.reason}`,
    );
  span.setAttributes(attributes);
}

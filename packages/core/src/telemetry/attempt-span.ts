import {
  type Attributes,
  type Context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { redactKnownSecrets } from '../errors/redact-secrets.js';
import type { Operation } from '../routing/operation.js';
import type { ModelTarget } from '../routing/target.js';
import type { AttemptTrace } from '../trace/routing-trace.js';
import type { ChatRequest } from '../types/chat.js';
import type { RouterTelemetry } from './router-telemetry.js';

/** What an attempt's span is started from. */
export interface AttemptSpanStart {
  operation: Operation;
  target: ModelTarget;
  /** The context the request was made in: the server span of the gateway, or the caller's. */
  parent: Context;
  request: unknown;
  /** Keys scrubbed from recorded message contents. */
  secrets: readonly string[];
}

/**
 * Starts the client span of one attempt, named `{operation} {model}` as the GenAI conventions
 * name it. Attributes are only built when the span records (with no SDK, nothing is).
 */
export function startAttemptSpan(telemetry: RouterTelemetry, start: AttemptSpanStart): Span {
  const { target, operation } = start;
  const span = telemetry
    .tracer()
    .startSpan(`${operation} ${target.model}`, { kind: SpanKind.CLIENT }, start.parent);
  if (!span.isRecording()) return span;
  span.setAttribute('gen_ai.operation.name', operation);
  span.setAttribute('gen_ai.provider.name', target.provider);
  span.setAttribute('gen_ai.request.model', target.model);
  span.setAttribute('switchyard.target', target.name);
  if (operation === 'chat') {
    const request = start.request as ChatRequest;
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    if (typeof maxTokens === 'number') span.setAttribute('gen_ai.request.max_tokens', maxTokens);
    if (typeof request.temperature === 'number')
      span.setAttribute('gen_ai.request.temperature', request.temperature);
    if (typeof request.top_p === 'number') span.setAttribute('gen_ai.request.top_p', request.top_p);
    if (request.stream === true) span.setAttribute('gen_ai.request.stream', true);
    if (telemetry.captureMessageContent && Array.isArray(request.messages))
      span.setAttribute(
        'gen_ai.input.messages',
        redactKnownSecrets(JSON.stringify(request.messages), start.secrets),
      );
  }
  return span;
}

/**
 * The W3C trace headers (`traceparent`, `tracestate`) the upstream call carries, with the attempt's
 * span as the parent; undefined when there is no valid trace to continue (no SDK, nothing to send).
 */
export function traceHeadersOf(span: Span, parent: Context): Record<string, string> | undefined {
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  for (const _name in carrier) return carrier;
  return undefined;
}

/** How an attempt ended, as its span records it. */
export interface AttemptSpanEnd {
  record: AttemptTrace;
  /** The answer's finish reasons, when it gave them. */
  finishReasons: readonly string[] | undefined;
  /** The answer's messages (chat, whole answers), recorded only with `captureMessageContent`. */
  output: unknown;
  /** Keys scrubbed from recorded message contents. */
  secrets: readonly string[];
}

/** Ends an attempt's span with the response's attributes, its usage, cost and outcome. */
export function endAttemptSpan(telemetry: RouterTelemetry, span: Span, end: AttemptSpanEnd): void {
  if (!span.isRecording()) return;
  const { record } = end;
  if (record.returnedModel !== undefined) span.setAttribute('gen_ai.response.model', record.returnedModel);
  if (record.generationId !== undefined) span.setAttribute('gen_ai.response.id', record.generationId);
  if (end.finishReasons !== undefined && end.finishReasons.length > 0)
    span.setAttribute('gen_ai.response.finish_reasons', end.finishReasons as string[]);
  const usage = record.usage;
  if (usage !== undefined) {
    span.setAttribute('gen_ai.usage.input_tokens', usage.promptTokens);
    span.setAttribute('gen_ai.usage.output_tokens', usage.completionTokens);
    if (usage.cachedTokens > 0) span.setAttribute('gen_ai.usage.cache_read.input_tokens', usage.cachedTokens);
    if (usage.cacheWriteTokens > 0)
      span.setAttribute('gen_ai.usage.cache_creation.input_tokens', usage.cacheWriteTokens);
    if (usage.reasoningTokens > 0)
      span.setAttribute('gen_ai.usage.reasoning.output_tokens', usage.reasoningTokens);
  }
  const attributes: Attributes = {
    'switchyard.attempt.index': record.index,
    'switchyard.attempt.outcome': record.outcome,
    'switchyard.attempt.retry': record.retry,
    'switchyard.cost_usd': record.costUsd,
  };
  if (record.status !== undefined) attributes['http.response.status_code'] = record.status;
  if (record.costEstimated) attributes['switchyard.cost_estimated'] = true;
  if (record.hedgeLoser) attributes['switchyard.hedge_loser'] = true;
  if (record.firstChunkMs !== undefined) attributes['switchyard.first_chunk_ms'] = record.firstChunkMs;
  span.setAttributes(attributes);
  if (telemetry.captureMessageContent && end.output !== undefined)
    span.setAttribute('gen_ai.output.messages', redactKnownSecrets(JSON.stringify(end.output), end.secrets));
  if (record.outcome !== 'success') {
    span.setAttribute('error.type', record.outcome);
    // The trace record's message has its secrets removed already.
    span.setStatus({ code: SpanStatusCode.ERROR, message: record.message ?? record.outcome });
  }
  span.end();
}

/** Records an attempt in the GenAI instruments: its duration, its tokens, its time to first chunk. */
export function recordAttemptMetrics(
  telemetry: RouterTelemetry,
  input: { record: AttemptTrace; operation: Operation },
): void {
  if (!telemetry.metering) return;
  const { record, operation } = input;
  const attributes = metricAttributes(record, operation);
  telemetry.operationDuration.record(record.latencyMs / 1000, attributes);
  if (record.firstChunkMs !== undefined)
    telemetry.timeToFirstChunk.record(record.firstChunkMs / 1000, attributes);
  const usage = record.usage;
  if (usage === undefined) return;
  // Built whole, not spread: a literal with keys after a spread takes a slow path on Node 20.
  const prompt = metricAttributes(record, operation);
  prompt['gen_ai.token.type'] = 'input';
  telemetry.tokenUsage.record(usage.promptTokens, prompt);
  if (operation !== 'chat') return;
  const output = metricAttributes(record, operation);
  output['gen_ai.token.type'] = 'output';
  telemetry.tokenUsage.record(usage.completionTokens, output);
}

/** The attributes every GenAI measurement of an attempt carries. */
function metricAttributes(record: AttemptTrace, operation: Operation): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': record.provider,
    'gen_ai.request.model': record.model,
  };
  if (record.returnedModel !== undefined) attributes['gen_ai.response.model'] = record.returnedModel;
  if (record.outcome !== 'success') attributes['error.type'] = record.outcome;
  return attributes;
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from '../src/node/create-gateway.js';
import { ask, PROVIDER_KEY, startFixture } from './support/fixture.js';

// A real SDK (in-memory exporters), registered globally as an app would: the core only uses the API.
const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => spans.reset());

const PRIMARY = 'anthropic/claude-sonnet-4.6';
const BACKUP = 'meta-llama/llama-3.3-70b-instruct';
const config = () => ({
  models: {
    primary: { provider: 'mock', model: PRIMARY },
    backup: { provider: 'mock', model: BACKUP },
  },
  routes: { default: { strategy: 'fallback' as const, targets: ['primary', 'backup'] } },
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 },
});

const attr = (span: ReadableSpan | undefined, name: string) => span?.attributes[name];
const clientSpans = () => spans.getFinishedSpans().filter((span) => span.kind === 2);

describe('OpenTelemetry spans and metrics of the router', () => {
  it('gives each attempt a GenAI client span, carries its context upstream, and records the instruments', async () => {
    const { router, mock } = await startFixture({ config });
    mock.script(PRIMARY, [{ kind: 'error', status: 502 }]);
    const parent = trace.getTracer('test').startSpan('caller');
    const { trace: routing } = await context.with(trace.setSpan(context.active(), parent), () =>
      router.chat(ask('default', 'Say hello.', { max_tokens: 20, temperature: 0.5 })),
    );
    parent.end();
    expect(routing.fallback).toBe(true);
    const [failed, served] = clientSpans();
    expect(failed?.name).toBe(`chat ${PRIMARY}`);
    expect(failed?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(failed?.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(failed?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': PRIMARY,
      'gen_ai.request.max_tokens': 20,
      'gen_ai.request.temperature': 0.5,
      'switchyard.target': 'primary',
      'switchyard.attempt.outcome': 'upstream_unavailable',
      'error.type': 'upstream_unavailable',
      'http.response.status_code': 502,
    });
    expect(failed?.status.code).toBe(2);
    expect(served?.attributes).toMatchObject({
      'gen_ai.request.model': BACKUP,
      'gen_ai.response.model': BACKUP,
      'gen_ai.response.id': routing.attempts[1]?.generationId,
      // The mock writes until max_tokens cuts it off.
      'gen_ai.response.finish_reasons': ['length'],
      'gen_ai.usage.input_tokens': routing.attempts[1]?.usage?.promptTokens,
      'gen_ai.usage.output_tokens': routing.attempts[1]?.usage?.completionTokens,
      'switchyard.attempt.outcome': 'success',
      'switchyard.cost_usd': routing.attempts[1]?.costUsd,
    });
    // Messages are opt-in; keys never appear.
    expect(attr(served, 'gen_ai.input.messages')).toBeUndefined();
    expect(JSON.stringify(spans.getFinishedSpans().map((span) => span.attributes))).not.toContain(
      PROVIDER_KEY,
    );
    // The upstream calls carried the attempts' own span context.
    const sent = mock.requests.map((request) => request.headers.traceparent);
    expect(sent).toEqual([
      `00-${parent.spanContext().traceId}-${failed?.spanContext().spanId}-01`,
      `00-${parent.spanContext().traceId}-${served?.spanContext().spanId}-01`,
    ]);

    await reader.forceFlush();
    const exported = metricExporter
      .getMetrics()
      .at(-1)
      ?.scopeMetrics.find((scope) => scope.scope.name === '@switchyard/core');
    const byName = new Map(exported?.metrics.map((metric) => [metric.descriptor.name, metric]));
    const durations = byName.get('gen_ai.client.operation.duration')?.dataPoints ?? [];
    expect(durations.map((point) => point.attributes['gen_ai.request.model']).sort()).toEqual(
      [BACKUP, PRIMARY].sort(),
    );
    const tokens = byName.get('gen_ai.client.token.usage')?.dataPoints ?? [];
    const input = tokens.find((point) => point.attributes['gen_ai.token.type'] === 'input');
    expect(input?.value).toMatchObject({ sum: routing.attempts[1]?.usage?.promptTokens });
  });

  it('records message contents only when opted in, and a stream its finish reason and first chunk', async () => {
    const { router } = await startFixture({ config, router: { telemetry: { captureMessageContent: true } } });
    const stream = await router.stream(ask('default', 'Count to three.'));
    for await (const _chunk of stream) {
      // drain
    }
    const [span] = clientSpans();
    expect(attr(span, 'gen_ai.input.messages')).toBe(
      JSON.stringify([{ role: 'user', content: 'Count to three.' }]),
    );
    expect(attr(span, 'gen_ai.response.finish_reasons')).toEqual(['stop']);
    expect(attr(span, 'switchyard.first_chunk_ms')).toEqual(expect.any(Number));
    await router.chat(ask('default', 'Again.'));
    const output = attr(clientSpans()[1], 'gen_ai.output.messages') as string;
    expect(JSON.parse(output)[0]).toMatchObject({ role: 'assistant', content: expect.any(String) });
  });

  it('continues an incoming traceparent in the gateway server span, with the routing on it', async () => {
    const { router, mock } = await startFixture({ config });
    mock.script(PRIMARY, [{ kind: 'error', status: 429, retryAfterSeconds: 1 }]);
    const gateway = createGateway({
      router,
      keys: [{ name: 'team-a', key: 'sy-gateway-secret-key-1234567' }],
    });
    const server: Server = createServer((request, response) => {
      void gateway.handle(request, response, request.url?.replace(/^\/v1/, ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const client = new OpenAI({
        baseURL: `http://127.0.0.1:${port}/v1`,
        apiKey: 'sy-gateway-secret-key-1234567',
        maxRetries: 0,
        defaultHeaders: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, tracestate: 'vendor=1' },
      });
      await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] });
      const server = spans.getFinishedSpans().find((span) => span.kind === 1);
      expect(server?.name).toBe('POST /chat/completions');
      expect(server?.spanContext().traceId).toBe(traceId);
      expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(server?.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.response.status_code': 200,
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'default',
        'gen_ai.response.model': BACKUP,
        'switchyard.route': 'default',
        'switchyard.target': 'backup',
        'switchyard.key': 'team-a',
        'switchyard.fallback': true,
        'switchyard.route_surprise': false,
      });
      for (const span of clientSpans()) {
        expect(span.spanContext().traceId).toBe(traceId);
        expect(span.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
      }
      expect(mock.requests.at(-1)?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
      expect(mock.requests.at(-1)?.headers.tracestate).toBe('vendor=1');
      const everything = JSON.stringify(spans.getFinishedSpans().map((span) => [span.name, span.attributes]));
      expect(everything).not.toContain('sy-gateway-secret-key-1234567');
      expect(everything).not.toContain(PROVIDER_KEY);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

import {
  context,
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { FAST_JSON_TRACE_SERIALIZER, serializeSpans } from '../src/otlp-json-trace-serializer.js';

const END_SECONDS = Math.floor(Date.now() / 1000) + 60;

/** Spans of every shape the OTLP document has: two resources, scopes with and without a version. */
function spansOfEveryShape(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const providers = [
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'gateway', 'service.instance.id': 'a"b\\c' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }),
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'other', 'host.cores': 2 }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }),
  ];
  const [first, second] = providers as [BasicTracerProvider, BasicTracerProvider];
  const gateway = first.getTracer('@switchyard/core', '1.2.3', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  });
  const bare = first.getTracer('bare');
  // A parent from another process, with a tracestate: the span flags say it is remote.
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=value,other=1'),
  });
  const server = gateway.startSpan('POST /chat/completions', { kind: SpanKind.SERVER }, remote);
  server.setAttributes({
    'http.request.method': 'POST',
    'switchyard.cost_usd': '0.0000071',
    'switchyard.fallback': false,
    'switchyard.attempts': 2,
    'switchyard.ratio': 0.25,
    'switchyard.skipped_targets': ['cheap:breaker_open', 'ünïcødé:"quoted"\n'],
    'gen_ai.response.finish_reasons': ['stop'],
    counts: [1, 2.5, -3],
    flags: [true, false],
    empty: [],
  });
  const client = gateway.startSpan(
    'chat openai/gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      links: [
        {
          context: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 0 },
          attributes: { 'link.reason': 'hedge' },
        },
      ],
    },
    trace.setSpan(context.active(), server),
  );
  client.addEvent('first_chunk', { 'switchyard.first_chunk_ms': 12 });
  client.addEvent('bare event');
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream said "503"' });
  // An end given with nanoseconds that need padding (the start is now; the end a minute on).
  client.end([END_SECONDS, 5]);
  server.setStatus({ code: SpanStatusCode.OK });
  server.end();
  bare.startSpan('root span').end();
  second.getTracer('other-scope', '0.1.0').startSpan('elsewhere', { kind: SpanKind.PRODUCER }).end();
  return exporter.getFinishedSpans();
}

const official = (spans: ReadableSpan[]): unknown =>
  JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));

describe('the OTLP/JSON span serializer', () => {
  it('writes the same document as the official JsonTraceSerializer, span for span', () => {
    const spans = spansOfEveryShape();
    expect(spans).toHaveLength(4);
    const ours = FAST_JSON_TRACE_SERIALIZER.serializeRequest(spans);
    expect(ours).toBeInstanceOf(Uint8Array);
    const document = JSON.parse(Buffer.from(ours as Uint8Array).toString('utf8'));
    expect(document).toEqual(official(spans));
    // What the comparison covers: two resources, three scopes, the remote parent and its state.
    expect(document.resourceSpans).toHaveLength(2);
    const client = document.resourceSpans[0].scopeSpans[0].spans.find(
      (span: { name: string }) => span.name === 'chat openai/gpt-4o-mini',
    );
    expect(client.events.map((event: { name: string }) => event.name)).toEqual(['first_chunk', 'bare event']);
    expect(client.endTimeUnixNano).toBe(`${END_SECONDS}000000005`);
    const server = document.resourceSpans[0].scopeSpans[0].spans.find(
      (span: { name: string }) => span.name === 'POST /chat/completions',
    );
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
    expect(server.flags).toBe(0x301);
  });

  it('writes valid JSON for an empty batch and for times within the first second', () => {
    expect(JSON.parse(serializeSpans([]))).toEqual(official([]));
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider
      .getTracer('t')
      .startSpan('early', { startTime: [0, 42] })
      .end([0, 999_999_999]);
    const spans = exporter.getFinishedSpans();
    expect(JSON.parse(serializeSpans(spans))).toEqual(official(spans));
  });
});

/**
 * `pnpm --filter @switchyard/gateway-bench bench:otel-floor`: what the OpenTelemetry SDK alone
 * costs per gateway request, with no HTTP server, router or load generator around it — the floor
 * under the instrumentation benchmark. Per request: the two spans the gateway makes (a server span,
 * an attempt's client span, with the attributes the gateway sets), the three GenAI histogram
 * records of an attempt; then the batch span processor hands them to: nothing (spans dropped), the
 * official OTLP http/json exporter, or the official http/protobuf exporter, each posting to a sink
 * in another process. CPU time of this process per request (user + system), the best of several
 * rounds, so a slow spell of the machine does not count.
 */
import { type Attributes, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { startOtlpSink } from './bench-servers.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

class DroppingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/** The attributes of an attempt's GenAI measurements, as the core records them. */
const metricAttributes = (): Attributes => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'mock',
  'gen_ai.request.model': 'openai/gpt-4o-mini',
  'gen_ai.response.model': 'openai/gpt-4o-mini',
});

/** CPU µs per request of one exporter: the best of the rounds. */
async function measure(exporter: SpanExporter): Promise<number> {
  const meterProvider = new MeterProvider();
  const meter = meterProvider.getMeter('@switchyard/core');
  const duration = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  const tokens = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}' });
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracer = provider.getTracer('@switchyard/core');
  const request = (): void => {
    const server = tracer.startSpan('POST /chat/completions', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    server.setAttributes({
      'http.request.method': 'POST',
      'http.route': '/chat/completions',
      'url.path': '/v1/chat/completions',
      'url.scheme': 'http',
      'user_agent.original': 'autocannon',
    });
    const client = tracer.startSpan(
      'chat openai/gpt-4o-mini',
      { kind: SpanKind.CLIENT },
      trace.setSpan(ROOT_CONTEXT, server),
    );
    client.setAttribute('gen_ai.operation.name', 'chat');
    client.setAttribute('gen_ai.provider.name', 'mock');
    client.setAttribute('gen_ai.request.model', 'openai/gpt-4o-mini');
    client.setAttribute('switchyard.target', 'primary');
    client.setAttribute('gen_ai.response.model', 'openai/gpt-4o-mini');
    client.setAttribute('gen_ai.response.id', 'gen-1764000000-abcdef');
    client.setAttribute('gen_ai.response.finish_reasons', ['stop']);
    client.setAttribute('gen_ai.usage.input_tokens', 12);
    client.setAttribute('gen_ai.usage.output_tokens', 9);
    client.setAttributes({
      'switchyard.attempt.index': 0,
      'switchyard.attempt.outcome': 'success',
      'switchyard.attempt.retry': 0,
      'switchyard.cost_usd': '0.0000071',
      'http.response.status_code': 200,
    });
    client.end();
    // Built whole each time, as the core builds them (no spread: see the README's V8 pitfall).
    duration.record(0.004, metricAttributes());
    const input = metricAttributes();
    input['gen_ai.token.type'] = 'input';
    tokens.record(12, input);
    const output = metricAttributes();
    output['gen_ai.token.type'] = 'output';
    tokens.record(9, output);
    server.setAttributes({
      'switchyard.key': 'bench',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'default',
      'switchyard.request_id': 'swy-mg2abc-1x2y3',
      'switchyard.fallback': false,
      'switchyard.escalated': false,
      'switchyard.hedged': false,
      'switchyard.route_surprise': false,
      'switchyard.cost_usd': '0.0000071',
      'switchyard.attempts': 1,
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 9,
      'switchyard.route': 'default',
      'switchyard.strategy': 'fallback',
      'switchyard.target': 'primary',
      'gen_ai.provider.name': 'mock',
      'gen_ai.response.model': 'openai/gpt-4o-mini',
      'http.response.status_code': 200,
    });
    server.end();
  };
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round += 1) {
    const before = process.cpuUsage();
    // In slices, as requests arrive: the processor's timer and the exports' I/O get their turn.
    for (let sent = 0; sent < REQUESTS; sent += 64) {
      for (let index = 0; index < 64; index += 1) request();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await provider.forceFlush();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / REQUESTS);
  }
  await provider.shutdown();
  await meterProvider.shutdown();
  return best;
}

// The API's globals stay unset: each provider is used directly.
const sink = await startOtlpSink();
const traces = `${sink.url}/v1/traces`;
try {
  const rows: Array<[string, SpanExporter]> = [
    ['spans dropped by the exporter', new DroppingExporter()],
    ['official OTLP http/json exporter', new JsonExporter({ url: traces })],
    ['official OTLP http/protobuf exporter', new ProtobufExporter({ url: traces })],
  ];
  console.log(
    `# The OpenTelemetry SDK alone, per gateway request (2 spans, 3 histogram records), Node ${process.version}\n`,
  );
  console.log(`${REQUESTS} requests a round, best of ${ROUNDS} rounds.\n`);
  console.log('| spans go to | CPU µs/request |');
  console.log('|---|---|');
  for (const [name, exporter] of rows) console.log(`| ${name} | ${(await measure(exporter)).toFixed(1)} |`);
} finally {
  sink.close();
}

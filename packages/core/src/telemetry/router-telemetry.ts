import {
  createNoopMeter,
  type Histogram,
  metrics,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/** The instrumentation scope of every span and instrument Switchyard makes. */
export const INSTRUMENTATION_SCOPE = '@switchyard/core';

/** Options of the router's OpenTelemetry instrumentation (`createRouter({ telemetry })`). */
export interface TelemetryOptions {
  /**
   * Records the request's messages (`gen_ai.input.messages`) and the answer's
   * (`gen_ai.output.messages`) on attempt spans: the GenAI conventions' opt-in. Known provider
   * keys are scrubbed from them; off by default, as message contents may hold personal data.
   * Gateways turn it on with `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`.
   * @default false
   */
  captureMessageContent?: boolean;
}

/** What the router's spans and OpenTelemetry instruments are made with; built once per router. */
export interface RouterTelemetry {
  /**
   * The tracer, looked up when a span starts: one taken before the SDK registers stays a no-op
   * when the SDK registers through the API's other module build (CommonJS beside ES modules).
   */
  tracer(): Tracer;
  readonly captureMessageContent: boolean;
  /** False when no meter provider was registered: attempts then build no metric attributes at all. */
  readonly metering: boolean;
  /** `gen_ai.client.operation.duration`, in seconds. */
  readonly operationDuration: Histogram;
  /** `gen_ai.client.token.usage`, by `gen_ai.token.type` (`input`, `output`). */
  readonly tokenUsage: Histogram;
  /** `gen_ai.client.operation.time_to_first_chunk`, in seconds (streams only). */
  readonly timeToFirstChunk: Histogram;
}

/** Bucket boundaries the GenAI conventions advise for durations (seconds). */
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** Bucket boundaries the GenAI conventions advise for token counts. */
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

let tracerProvider: TracerProvider | undefined;
let tracer: Tracer | undefined;

/**
 * Switchyard's tracer from the tracer provider registered now: looked up again only when another
 * provider is registered (an SDK's `getTracer` builds a key per call), so a tracer taken before
 * an SDK registered through the API's other module build is never kept.
 */
export function currentTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== tracerProvider || tracer === undefined) {
    tracerProvider = provider;
    tracer = provider.getTracer(INSTRUMENTATION_SCOPE);
  }
  return tracer;
}

/**
 * The router's tracer and GenAI instruments, from the global OpenTelemetry API: no-ops unless an
 * SDK is registered. Spans follow an SDK registered later; instruments are bound to the meter
 * provider registered when the router is created, so start the SDK first.
 */
export function createRouterTelemetry(options: TelemetryOptions = {}): RouterTelemetry {
  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
  return {
    tracer: currentTracer,
    metering: Object.getPrototypeOf(meter) !== Object.getPrototypeOf(createNoopMeter()),
    captureMessageContent: options.captureMessageContent === true,
    operationDuration: meter.createHistogram('gen_ai.client.operation.duration', {
      description: 'GenAI operation duration',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Measures number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    timeToFirstChunk: meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', {
      description: 'Time from sending a streamed request to its first content chunk',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
}

import type { GatewayEnvironment } from './resolve-startup.js';
import { SyncContextManager } from './sync-context-manager.js';

/** The OpenTelemetry SDK the gateway started, or none. */
export interface GatewayTelemetry {
  /** True when the SDK runs (exporting spans and GenAI metrics over OTLP). */
  readonly enabled: boolean;
  /** Whether spans record message contents (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`). */
  readonly captureMessageContent: boolean;
  /** Flushes what is buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

const PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'];
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'jaeger_remote',
  'parentbased_jaeger_remote',
];
const RATIO_SAMPLERS = new Set(['traceidratio', 'parentbased_traceidratio']);

const trimmed = (value: string | undefined): string | undefined => value?.trim() || undefined;

/** Throws an error naming the OpenTelemetry variable that holds a value the SDK would ignore. */
function checkEnvironment(environment: GatewayEnvironment): void {
  for (const name of [
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
  ]) {
    const value = trimmed(environment[name]);
    if (value !== undefined && !PROTOCOLS.includes(value))
      throw new Error(`${name} must be one of ${PROTOCOLS.join(', ')}, got "${value}"`);
  }
  const sampler = trimmed(environment.OTEL_TRACES_SAMPLER);
  if (sampler !== undefined && !SAMPLERS.includes(sampler))
    throw new Error(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${sampler}"`);
  const ratio = trimmed(environment.OTEL_TRACES_SAMPLER_ARG);
  if (sampler !== undefined && RATIO_SAMPLERS.has(sampler) && ratio !== undefined) {
    const value = Number(ratio);
    if (!(value >= 0 && value <= 1))
      throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for ${sampler}, got "${ratio}"`);
  }
}

/** Whether the environment asks for the SDK: an OTLP endpoint, or an exporter named. */
function wanted(environment: GatewayEnvironment): boolean {
  if (trimmed(environment.OTEL_SDK_DISABLED) === 'true') return false;
  return (
    trimmed(environment.OTEL_EXPORTER_OTLP_ENDPOINT) !== undefined ||
    trimmed(environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined ||
    trimmed(environment.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) !== undefined ||
    (trimmed(environment.OTEL_TRACES_EXPORTER) ?? 'none') !== 'none'
  );
}

/**
 * Starts the OpenTelemetry Node SDK when the standard environment variables ask for it
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_TRACES_EXPORTER`), before the router is created: the
 * SDK itself reads `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf` by default, `http/json`, `grpc`),
 * `OTEL_SERVICE_NAME` (here `switchyard-gateway` when unset), `OTEL_TRACES_SAMPLER` and the rest.
 * No auto-instrumentation: the spans are Switchyard's own (a server span per request, a GenAI
 * client span per upstream attempt), their context handed on explicitly, so the SDK runs with a
 * synchronous context manager rather than AsyncLocalStorage. Loaded only when asked for, so a gateway without it pays
 * nothing. Throws an error naming a protocol or sampler variable with a value it does not know.
 */
export async function startTelemetry(environment: GatewayEnvironment): Promise<GatewayTelemetry> {
  checkEnvironment(environment);
  const captureMessageContent =
    trimmed(environment.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT)?.toLowerCase() === 'true';
  if (!wanted(environment)) return { enabled: false, captureMessageContent, shutdown: async () => undefined };
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    // The spans hand their context on explicitly: no AsyncLocalStorage on every promise.
    contextManager: new SyncContextManager(),
    ...(trimmed(environment.OTEL_SERVICE_NAME) === undefined ? { serviceName: 'switchyard-gateway' } : {}),
  });
  sdk.start();
  return { enabled: true, captureMessageContent, shutdown: () => sdk.shutdown() };
}

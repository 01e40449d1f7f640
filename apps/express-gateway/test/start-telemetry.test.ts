import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { resolveMetrics } from '../src/resolve-startup.js';
import { startTelemetry } from '../src/start-telemetry.js';
import { SyncContextManager } from '../src/sync-context-manager.js';

describe('startTelemetry', () => {
  it('starts nothing when no OTLP endpoint or exporter is asked for', async () => {
    const telemetry = await startTelemetry({ OTEL_SERVICE_NAME: 'quiet' });
    expect(telemetry).toMatchObject({ enabled: false, captureMessageContent: false });
    await telemetry.shutdown();
  });

  it('reads the GenAI content opt-in', async () => {
    const telemetry = await startTelemetry({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
    expect(telemetry.captureMessageContent).toBe(true);
  });

  it.each([
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' },
      /OTEL_EXPORTER_OTLP_PROTOCOL must be one of .*http\/json.*"http\/xml"/,
    ],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER must be one of .*"sometimes"/],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      /OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for traceidratio, got "2"/,
    ],
  ])('refuses %o, naming the variable', async (environment, message) => {
    await expect(
      startTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', ...environment }),
    ).rejects.toThrow(message);
  });
});

describe('resolveMetrics', () => {
  it('serves /metrics by default, and not when SWITCHYARD_METRICS is off', () => {
    expect(resolveMetrics({})).toBe(true);
    expect(resolveMetrics({ SWITCHYARD_METRICS: 'off' })).toBe(false);
    expect(() => resolveMetrics({ SWITCHYARD_METRICS: 'maybe' })).toThrow(
      'SWITCHYARD_METRICS must be on or off, got "maybe"',
    );
  });
});

describe('SyncContextManager', () => {
  it('makes a context active for the call only, and binds functions to one', () => {
    const manager = new SyncContextManager();
    const key = createContextKey('test');
    const inner = ROOT_CONTEXT.setValue(key, 'inner');
    expect(manager.with(inner, () => manager.active().getValue(key))).toBe('inner');
    expect(manager.active()).toBe(ROOT_CONTEXT);
    const bound = manager.bind(
      inner,
      (suffix: string) => `${String(manager.active().getValue(key))}${suffix}`,
    );
    expect(bound('!')).toBe('inner!');
    expect(() =>
      manager.with(inner, () => {
        throw new Error('thrown inside');
      }),
    ).toThrow('thrown inside');
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });
});

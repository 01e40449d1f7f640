import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { FAST_JSON_TRACE_SERIALIZER } from './otlp-json-trace-serializer.js';

/**
 * The OTLP/HTTP JSON span exporter of `@opentelemetry/exporter-trace-otlp-http`, built from the
 * same parts (its export delegate: endpoint, headers, timeout, compression and retries from the
 * same `OTEL_EXPORTER_OTLP_*` variables), with the one difference of a serializer that writes the
 * document directly and encodes it with `Buffer` ({@link FAST_JSON_TRACE_SERIALIZER}).
 */
export class OtlpJsonSpanExporter extends OTLPExporterBase<ReadableSpan[]> implements SpanExporter {
  constructor() {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions({}, 'TRACES', 'v1/traces', { 'Content-Type': 'application/json' }),
        FAST_JSON_TRACE_SERIALIZER,
        'otlp_http_span_exporter',
        TraceExporterMetricsHelper,
        undefined,
      ),
    );
  }
}

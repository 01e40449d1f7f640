export type { MetricsHandlerOptions } from './metrics-handler.js';
export { metricsGate, metricsHandler } from './metrics-handler.js';
export type { PrometheusMetrics, PrometheusMetricsOptions } from './prometheus-metrics.js';
export { createPrometheusMetrics } from './prometheus-metrics.js';

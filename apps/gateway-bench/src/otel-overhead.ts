/**
 * `BENCH_OTEL=1 pnpm bench:gateway`: the Express gateway at 32 connections uninstrumented
 * (`SWITCHYARD_METRICS=off`, no OpenTelemetry SDK) and instrumented (the Node SDK exporting spans
 * and GenAI metrics over OTLP http/json to a loopback sink, `/metrics` on behind an admin key and
 * scraped every second during the run). The target: instrumented >= 90% of uninstrumented
 * throughput. `BENCH_OTEL_PROTOCOL` picks the OTLP protocol (default `http/json`; `http/protobuf`),
 * `BENCH_OTEL_SAMPLER` / `BENCH_OTEL_SAMPLER_ARG` the trace sampler (default `parentbased_always_on`:
 * every request traced; e.g. `parentbased_traceidratio` and `0.1`), `BENCH_OTEL_ROUNDS` how many
 * alternating rounds (default 5; the figure is the median of the rounds' ratios).
 */
import { type Contender, SERVERS, startOtlpSink, startServer, startUpstream } from './bench-servers.js';

/** What one autocannon run measured (the throughput benchmark's own measurement). */
export interface OverheadMeasurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMicrosPerRequest: number;
}

const ADMIN_KEY = 'sy-bench-admin-key-0000000000';
const PROTOCOL = process.env.BENCH_OTEL_PROTOCOL ?? 'http/json';
const SAMPLER = process.env.BENCH_OTEL_SAMPLER ?? 'parentbased_always_on';
const SAMPLER_ARG = process.env.BENCH_OTEL_SAMPLER_ARG;
const ROUNDS = Number(process.env.BENCH_OTEL_ROUNDS ?? 5);

/** The middle item of `items` ordered by `value` (the upper one of an even count). */
function median<T>(items: readonly T[], value: (item: T) => number): T {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor(items.length / 2)] as T;
}

/** Runs both measurements with `measure` (autocannon after a warm-up) and prints the comparison. */
export async function otelOverhead(options: {
  measure: (contender: Contender & { connections: number }) => Promise<OverheadMeasurement>;
  seconds: number;
}): Promise<void> {
  const express = SERVERS.find((server) => server.name.startsWith('Express'));
  if (express === undefined) throw new Error('no Express gateway among the benchmark servers');
  const sink = await startOtlpSink();
  const upstream = await startUpstream();
  // Both gateways run for the whole benchmark (pinned to the same CPU, only one under load at a
  // time) and are measured in alternation, so a slow spell of the machine falls on both.
  const plain = await startServer(express, upstream, { env: { SWITCHYARD_METRICS: 'off' } });
  const traced = await startServer(express, upstream, {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: PROTOCOL,
      OTEL_TRACES_SAMPLER: SAMPLER,
      ...(SAMPLER_ARG === undefined ? {} : { OTEL_TRACES_SAMPLER_ARG: SAMPLER_ARG }),
      OTEL_SERVICE_NAME: 'switchyard-bench',
      OTEL_LOGS_EXPORTER: 'none',
      SWITCHYARD_ADMIN_KEY: ADMIN_KEY,
    },
  });
  const metricsUrl = new URL('/metrics', traced.url).href;
  const scrapes = { ok: 0, failed: 0 };
  const scrape = async (): Promise<void> => {
    const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = await response.text();
    if (response.status === 200 && text.includes('switchyard_requests_total')) scrapes.ok += 1;
    else scrapes.failed += 1;
  };
  const measureTraced = async (): Promise<OverheadMeasurement> => {
    const scraper = setInterval(() => void scrape().catch(() => (scrapes.failed += 1)), 1000);
    try {
      return await options.measure({ ...traced, connections: 32 });
    } finally {
      clearInterval(scraper);
    }
  };
  const rounds: Array<{ uninstrumented: OverheadMeasurement; instrumented: OverheadMeasurement }> = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    // The order flips every round, so neither side always runs on the warmer machine.
    if (round % 2 === 0) {
      const uninstrumented = await options.measure({ ...plain, connections: 32 });
      rounds.push({ uninstrumented, instrumented: await measureTraced() });
    } else {
      const instrumented = await measureTraced();
      rounds.push({ uninstrumented: await options.measure({ ...plain, connections: 32 }), instrumented });
    }
  }
  process.kill(plain.pid, 'SIGTERM');
  process.kill(traced.pid, 'SIGTERM');
  // Open until the gateway has flushed its last export on SIGTERM.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const received = await sink.stats();
  sink.close();
  const throughput = (measurement: OverheadMeasurement): number => measurement.requestsPerSecond;
  const uninstrumented = median(
    rounds.map((round) => round.uninstrumented),
    throughput,
  );
  const instrumented = median(
    rounds.map((round) => round.instrumented),
    throughput,
  );
  const shares = rounds.map(
    (round) => (round.instrumented.requestsPerSecond / round.uninstrumented.requestsPerSecond) * 100,
  );
  const share = median(shares, (value) => value);
  console.log(
    `# Instrumentation overhead — Express gateway, 32 connections, Node ${process.version}, ${ROUNDS} alternating rounds of ${options.seconds} s per side (medians)\n`,
  );
  console.log('| Express gateway (CPU 1) | requests/s | p50 | p99 | server CPU µs/request | errors |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, measurement] of [
    ['uninstrumented (no SDK, /metrics off)', uninstrumented],
    [
      `OTel SDK exporting OTLP ${PROTOCOL} (${SAMPLER}${SAMPLER_ARG === undefined ? '' : ` ${SAMPLER_ARG}`}) + /metrics scraped every 1 s`,
      instrumented,
    ],
  ] as const) {
    console.log(
      `| ${name} | ${Math.round(measurement.requestsPerSecond)} | ${measurement.p50} ms | ${measurement.p99} ms | ${Math.round(measurement.cpuMicrosPerRequest)} | ${measurement.errors} |`,
    );
  }
  console.log(
    `\nInstrumented throughput: ${share.toFixed(1)}% of uninstrumented, the median of the rounds' ratios (target >= 90%); each round: ${shares.map((value) => `${value.toFixed(1)}%`).join(', ')}.`,
  );
  console.log(
    `Scrapes during the run: ${scrapes.ok} ok, ${scrapes.failed} failed. OTLP sink: ${JSON.stringify(received)}`,
  );
}

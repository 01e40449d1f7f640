/**
 * Requests/s and p50/p99 latency at 1 and 32 connections (autocannon) for: the mock upstream
 * alone, a minimal Node pass-through proxy, the Express gateway and the Koa gateway. Each server
 * under test runs in its own process pinned to CPU 1 (`taskset`); the mock upstream and the load
 * generator share CPU 0. Loopback only.
 *
 * Run: pnpm bench:gateway   (env BENCH_SECONDS, default 10 per measurement; BENCH_STREAM=1 for SSE;
 *      BENCH_CACHE=1: the gateways answer from their answer cache, every measured request a hit;
 *      BENCH_OTEL=1: the Express gateway uninstrumented vs with the OpenTelemetry SDK exporting and
 *      /metrics scraped, at 32 connections — see otel-overhead.ts)
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import {
  BODY,
  CACHE,
  type Contender,
  cpuMicros,
  HEADERS,
  SERVERS,
  startServer,
  startUpstream,
  stopAll,
} from './bench-servers.js';
import { otelOverhead } from './otel-overhead.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface Measurement {
  requestsPerSecond: number;
  /** Milliseconds: whole ones from autocannon at 32 connections, exact ones at 1 connection. */
  p50: number;
  p99: number;
  errors: number;
  /** CPU time (user + system) the server process spent per request, in microseconds. */
  cpuMicrosPerRequest: number;
}

/** Throughput at many connections: autocannon, after a warm-up. */
async function throughput(options: Contender & { connections: number }): Promise<Measurement> {
  const run = (duration: number) =>
    autocannon({
      url: options.url,
      method: 'POST',
      connections: options.connections,
      duration,
      headers: HEADERS,
      body: BODY(options.model),
    });
  await run(3);
  const cpuBefore = cpuMicros(options.pid);
  const result = await run(SECONDS);
  const cpu = cpuMicros(options.pid) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMicrosPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

/**
 * Latency at one connection, measured per request in microseconds (autocannon's percentiles are
 * whole milliseconds, too coarse for a 0.3 ms target): sequential requests over one keep-alive
 * connection, after a warm-up.
 */
async function sequential(options: Contender): Promise<Measurement> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: 1 });
  const body = BODY(options.model);
  const once = async (): Promise<number> => {
    const response = await pool.request({ method: 'POST', path: url.pathname, headers: HEADERS, body });
    await response.body.arrayBuffer();
    return response.statusCode;
  };
  const warmUntil = performance.now() + 3000;
  while (performance.now() < warmUntil) await once();
  const samples: number[] = [];
  let errors = 0;
  const cpuBefore = cpuMicros(options.pid);
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const start = performance.now();
    if ((await once()) !== 200) errors += 1;
    samples.push(performance.now() - start);
  }
  const cpu = cpuMicros(options.pid) - cpuBefore;
  await pool.close();
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return {
    requestsPerSecond: samples.length / SECONDS,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    cpuMicrosPerRequest: cpu / Math.max(1, samples.length),
  };
}

async function load(options: Contender & { connections: number }): Promise<Measurement> {
  return options.connections === 1 ? sequential(options) : throughput(options);
}

if (process.env.BENCH_OTEL === '1') {
  try {
    await otelOverhead({ measure: throughput, seconds: SECONDS });
  } finally {
    stopAll();
  }
} else await table();

/** The whole comparison: every contender at 1 and 32 connections. */
async function table(): Promise<void> {
  const results: Array<{ name: string; connections: number; measurement: Measurement }> = [];
  try {
    const upstream = await startUpstream();
    const contenders: Array<() => Promise<Contender>> = [
      async () => ({
        name: 'mock upstream alone',
        url: `${upstream.origin}/api/v1/chat/completions`,
        model: 'openai/gpt-4o-mini',
        pid: upstream.pid,
      }),
      ...SERVERS.map((server) => () => startServer(server, upstream)),
    ];
    for (const begin of contenders) {
      const contender = await begin();
      for (const connections of [1, 32]) {
        results.push({
          name: contender.name,
          connections,
          measurement: await load({ ...contender, connections }),
        });
      }
    }
  } finally {
    stopAll();
  }

  const find = (name: string, connections: number) =>
    results.find((result) => result.name === name && result.connections === connections)?.measurement;
  const proxy32 = find('minimal Node pass-through proxy', 32);
  const upstream1 = find('mock upstream alone', 1);
  const proxy1 = find('minimal Node pass-through proxy', 1);
  const ms = (value: number, connections: number): string =>
    connections === 1 ? `${value.toFixed(3)} ms` : `${value} ms`;
  console.log(
    `# Gateway throughput and latency — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${SECONDS} s per row\n`,
  );
  console.log(
    '1 connection: sequential requests timed one by one (µs resolution); 32 connections: autocannon. Server CPU: user + system time of the server process over the measured run, per request (the mock upstream runs on CPU 0).\n',
  );
  if (CACHE)
    console.log(
      'BENCH_CACHE=1: the gateways answer every measured request from their answer cache (memory), without calling the upstream; the proxy still forwards each one.\n',
    );
  console.log(
    '| server (CPU 1) | connections | requests/s | p50 | p99 | vs proxy throughput | added p50 vs upstream | added p50 vs proxy | server CPU µs/request | errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const { name, connections, measurement } of results) {
    const share =
      connections === 32 && proxy32 !== undefined
        ? `${((measurement.requestsPerSecond / proxy32.requestsPerSecond) * 100).toFixed(0)}%`
        : '';
    const overUpstream =
      connections === 1 && upstream1 !== undefined
        ? `${(measurement.p50 - upstream1.p50).toFixed(3)} ms`
        : '';
    const overProxy =
      connections === 1 && proxy1 !== undefined ? `${(measurement.p50 - proxy1.p50).toFixed(3)} ms` : '';
    console.log(
      `| ${name} | ${connections} | ${Math.round(measurement.requestsPerSecond)} | ${ms(measurement.p50, connections)} | ${ms(measurement.p99, connections)} | ${share} | ${overUpstream} | ${overProxy} | ${Math.round(measurement.cpuMicrosPerRequest)} | ${measurement.errors} |`,
    );
  }
}

/**
 * Requests/s and p50/p99 latency at 1 and 32 connections (autocannon) for: the mock upstream
 * alone, a minimal Node pass-through proxy, the Express gateway and the Koa gateway. Each server
 * under test runs in its own process pinned to CPU 1 (`taskset`); the mock upstream and the load
 * generator share CPU 0. Loopback only.
 *
 * Run: pnpm bench:gateway   (env BENCH_SECONDS, default 10 per measurement)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Pool } from 'undici';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const KEY = 'sy-bench-gateway-key-000000';
const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function start(options: { cpu: number; args: string[]; env?: Record<string, string> }): ChildProcess {
  const child = spawn('taskset', ['-c', String(options.cpu), process.execPath, ...options.args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
  });
  children.push(child);
  return child;
}

async function waitUntilUp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not come up`);
}

interface Measurement {
  requestsPerSecond: number;
  /** Milliseconds: whole ones from autocannon at 32 connections, exact ones at 1 connection. */
  p50: number;
  p99: number;
  errors: number;
}

const BODY = (model: string): string =>
  JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
    max_tokens: 16,
  });
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };

/** Throughput at many connections: autocannon, after a warm-up. */
async function throughput(options: {
  url: string;
  connections: number;
  model: string;
}): Promise<Measurement> {
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
  const result = await run(SECONDS);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/**
 * Latency at one connection, measured per request in microseconds (autocannon's percentiles are
 * whole milliseconds, too coarse for a 0.3 ms target): sequential requests over one keep-alive
 * connection, after a warm-up.
 */
async function sequential(options: { url: string; model: string }): Promise<Measurement> {
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
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const start = performance.now();
    if ((await once()) !== 200) errors += 1;
    samples.push(performance.now() - start);
  }
  await pool.close();
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return { requestsPerSecond: samples.length / SECONDS, p50: at(0.5), p99: at(0.99), errors };
}

async function load(options: { url: string; connections: number; model: string }): Promise<Measurement> {
  return options.connections === 1 ? sequential(options) : throughput(options);
}

const mockPort = await freePort();
start({
  cpu: 0,
  args: [
    join(dirname(require.resolve('@switchyard/mock-upstream/package.json')), 'bin', 'switchyard-mock.js'),
    '--port',
    String(mockPort),
  ],
});
const mockOrigin = `http://127.0.0.1:${mockPort}`;
await waitUntilUp(`${mockOrigin}/api/v1/models`);

const folder = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
const configPath = join(folder, 'switchyard.json');
await writeFile(
  configPath,
  JSON.stringify({
    providers: { mock: { baseURL: `${mockOrigin}/api/v1`, apiKey: 'sk-bench-upstream-key-0000' } },
    models: {
      primary: { provider: 'mock', model: 'openai/gpt-4o-mini' },
      backup: { provider: 'mock', model: 'deepseek/deepseek-chat' },
    },
    routes: { default: { strategy: 'fallback', targets: ['primary', 'backup'] } },
    keys: [{ name: 'bench', key: KEY }],
  }),
);

const contenders: Array<{ name: string; url: string; model: string; start?: (port: number) => void }> = [
  { name: 'mock upstream alone', url: `${mockOrigin}/api/v1/chat/completions`, model: 'openai/gpt-4o-mini' },
  {
    name: 'minimal Node pass-through proxy',
    url: '',
    model: 'openai/gpt-4o-mini',
    start: (port) => start({ cpu: 1, args: [join(here, 'minimal-proxy.mjs'), mockOrigin, String(port)] }),
  },
  {
    name: 'Express gateway',
    url: '',
    model: 'default',
    start: (port) =>
      start({
        cpu: 1,
        args: [join(dirname(require.resolve('@switchyard/express-gateway/package.json')), 'dist', 'main.js')],
        env: { SWITCHYARD_CONFIG: configPath, PORT: String(port), HOST: '127.0.0.1' },
      }),
  },
  {
    name: 'Koa gateway',
    url: '',
    model: 'default',
    start: (port) =>
      start({
        cpu: 1,
        args: [join(dirname(require.resolve('@switchyard/koa-demo/package.json')), 'dist', 'main.js')],
        env: { SWITCHYARD_CONFIG: configPath, PORT: String(port), HOST: '127.0.0.1' },
      }),
  },
];

const results: Array<{ name: string; connections: number; measurement: Measurement }> = [];
try {
  for (const contender of contenders) {
    let url = contender.url;
    if (contender.start !== undefined) {
      const port = await freePort();
      contender.start(port);
      url = `http://127.0.0.1:${port}/v1/chat/completions`;
      await waitUntilUp(`http://127.0.0.1:${port}/v1/models`);
    }
    for (const connections of [1, 32]) {
      results.push({
        name: contender.name,
        connections,
        measurement: await load({ url, connections, model: contender.model }),
      });
    }
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
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
  '1 connection: sequential requests timed one by one (µs resolution); 32 connections: autocannon.\n',
);
console.log(
  '| server (CPU 1) | connections | requests/s | p50 | p99 | vs proxy throughput | added p50 vs upstream | added p50 vs proxy | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const { name, connections, measurement } of results) {
  const share =
    connections === 32 && proxy32 !== undefined
      ? `${((measurement.requestsPerSecond / proxy32.requestsPerSecond) * 100).toFixed(0)}%`
      : '';
  const overUpstream =
    connections === 1 && upstream1 !== undefined ? `${(measurement.p50 - upstream1.p50).toFixed(3)} ms` : '';
  const overProxy =
    connections === 1 && proxy1 !== undefined ? `${(measurement.p50 - proxy1.p50).toFixed(3)} ms` : '';
  console.log(
    `| ${name} | ${connections} | ${Math.round(measurement.requestsPerSecond)} | ${ms(measurement.p50, connections)} | ${ms(measurement.p99, connections)} | ${share} | ${overUpstream} | ${overProxy} | ${measurement.errors} |`,
  );
}

/**
 * What both gateway benchmarks share: free ports, child servers pinned to a CPU, the mock upstream,
 * the gateways' configuration, the contenders, and the CPU time a server process has used.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The gateway key every benchmark request carries. */
export const KEY = 'sy-bench-gateway-key-000000';
/** Headers of every benchmark request. */
export const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
/** A short chat request, as a JSON body; streamed (SSE) when `BENCH_STREAM=1`. */
export const BODY = (model: string): string =>
  JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
    max_tokens: 16,
    ...(process.env.BENCH_STREAM === '1' ? { stream: true } : {}),
  });

/**
 * `BENCH_CACHE=1`: the gateways' `default` route caches its answers, so after the first request
 * every one is a hit (the benchmark checks that before it measures): no upstream call at all.
 */
export const CACHE = process.env.BENCH_CACHE === '1';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Starts `node ...args` pinned to one CPU (`taskset` execs node, so the pid is the server's). */
function start(options: { cpu: number; args: string[]; env?: Record<string, string> }): ChildProcess {
  const child = spawn('taskset', ['-c', String(options.cpu), process.execPath, ...options.args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
  });
  children.push(child);
  return child;
}

/** Stops every server started here. */
export function stopAll(): void {
  for (const child of children) child.kill('SIGTERM');
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

const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in microseconds, from `/proc/<pid>/stat`
 * (Linux only; clock ticks of 10 ms, so measure over thousands of requests).
 */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/**
 * A loopback OTLP sink in its own process on CPU 0 with the load generator (so what it does is
 * neither the load generator's event loop's to do nor the server's CPU): takes every export,
 * counts requests and bytes by path, answers 200, and tells its counts when asked.
 */
export async function startOtlpSink(): Promise<{
  url: string;
  stats(): Promise<Record<string, number>>;
  close(): void;
}> {
  const child = spawn(
    'taskset',
    [
      '-c',
      '0',
      process.execPath,
      '-e',
      `const stats = {};
       const server = require('node:http').createServer((request, response) => {
         let bytes = 0;
         request.on('data', (chunk) => { bytes += chunk.length; });
         request.on('end', () => {
           const path = request.url ?? '';
           stats[path + ' exports'] = (stats[path + ' exports'] ?? 0) + 1;
           stats[path + ' bytes'] = (stats[path + ' bytes'] ?? 0) + bytes;
           response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
         });
       });
       process.on('message', () => process.send(stats));
       server.listen(0, '127.0.0.1', () => process.send(server.address().port));`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  children.push(child);
  const port = await new Promise<number>((resolve) =>
    child.once('message', (value) => resolve(Number(value))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (value) => resolve(value as Record<string, number>));
        child.send('stats');
      }),
    close: () => child.kill(),
  };
}

/** A server under test: where to send chat requests, which model to ask for, and its pid. */
export interface Contender {
  name: string;
  /** The chat-completions URL. */
  url: string;
  model: string;
  /** The server's process (the mock upstream's for the upstream alone). */
  pid: number;
}

/**
 * Starts the mock upstream on CPU 0 and writes the gateways' configuration pointing at it; `mockArgs`
 * go to the mock's CLI (`--fault 502=0.05`), `config` is merged over the gateways' configuration.
 */
export async function startUpstream(
  options: { mockArgs?: string[]; config?: Record<string, unknown> } = {},
): Promise<{ origin: string; pid: number; configPath: string }> {
  const port = await freePort();
  const child = start({
    cpu: 0,
    args: [
      join(dirname(require.resolve('@switchyard/mock-upstream/package.json')), 'bin', 'switchyard-mock.js'),
      '--port',
      String(port),
      ...(options.mockArgs ?? []),
    ],
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${origin}/api/v1/models`);
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  const configPath = join(folder, 'switchyard.json');
  await writeFile(
    configPath,
    JSON.stringify({
      providers: { mock: { baseURL: `${origin}/api/v1`, apiKey: 'sk-bench-upstream-key-0000' } },
      models: {
        primary: { provider: 'mock', model: 'openai/gpt-4o-mini' },
        backup: { provider: 'mock', model: 'deepseek/deepseek-chat' },
      },
      routes: {
        default: {
          strategy: 'fallback',
          targets: ['primary', 'backup'],
          ...(CACHE ? { cache: { ttlSeconds: 3600 } } : {}),
        },
      },
      keys: [{ name: 'bench', key: KEY }],
      ...options.config,
    }),
  );
  return { origin, pid: child.pid ?? 0, configPath };
}

/** The servers compared with the upstream alone, each started on CPU 1 when its turn comes. */
export const SERVERS: ReadonlyArray<{
  name: string;
  model: string;
  args: (upstream: { origin: string; port: number }) => string[];
  env?: (upstream: { configPath: string; port: number }) => Record<string, string>;
}> = [
  {
    name: 'minimal Node pass-through proxy',
    model: 'openai/gpt-4o-mini',
    args: ({ origin, port }) => [join(here, 'minimal-proxy.mjs'), origin, String(port)],
  },
  {
    name: CACHE ? 'Express gateway, cache hits' : 'Express gateway',
    model: 'default',
    args: () => [
      join(dirname(require.resolve('@switchyard/express-gateway/package.json')), 'dist', 'main.js'),
    ],
    env: ({ configPath, port }) => ({ SWITCHYARD_CONFIG: configPath, PORT: String(port), HOST: '127.0.0.1' }),
  },
  {
    name: CACHE ? 'Koa gateway, cache hits' : 'Koa gateway',
    model: 'default',
    args: () => [join(dirname(require.resolve('@switchyard/koa-demo/package.json')), 'dist', 'main.js')],
    env: ({ configPath, port }) => ({ SWITCHYARD_CONFIG: configPath, PORT: String(port), HOST: '127.0.0.1' }),
  },
];

/** Fails unless the gateway answers a repeated benchmark request from its cache. */
async function expectHits(url: string): Promise<void> {
  let cache: string | null = null;
  for (let index = 0; index < 2; index += 1) {
    const response = await fetch(url, { method: 'POST', headers: HEADERS, body: BODY('default') });
    await response.arrayBuffer();
    cache = response.headers.get('x-switchyard-cache');
  }
  if (cache !== 'hit')
    throw new Error(`${url} answered a repeat with x-switchyard-cache: ${cache}, not a hit`);
}

/**
 * Starts one of {@link SERVERS} on CPU 1 and waits until it answers; `env` is added to its
 * environment, `nodeFlags` go before its script (`--inspect=…`).
 */
export async function startServer(
  server: (typeof SERVERS)[number],
  upstream: { origin: string; configPath: string },
  extra: { env?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<Contender> {
  const port = await freePort();
  const child = start({
    cpu: 1,
    args: [...(extra.nodeFlags ?? []), ...server.args({ origin: upstream.origin, port })],
    env: { ...server.env?.({ configPath: upstream.configPath, port }), ...extra.env },
  });
  await waitUntilUp(`http://127.0.0.1:${port}/v1/models`);
  if (CACHE && server.model === 'default') await expectHits(`http://127.0.0.1:${port}/v1/chat/completions`);
  return {
    name: server.name,
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    model: server.model,
    pid: child.pid ?? 0,
  };
}

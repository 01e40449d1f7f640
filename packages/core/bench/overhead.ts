/**
 * Measures the core's own overhead per request:
 *   1. router.chat() vs a bare undici request of the same body to the same mock upstream, and vs the
 *      bare `openai` client: added time per request (median and p99), sequential requests;
 *   2. the routing decision (resolve, profile, order, filter) with a 300-model catalog;
 *   3. router.chat() over an in-memory transport (all of the router's CPU work, no network);
 *   4. the answer cache over the same transport: what a miss adds to an uncached route (every
 *      request distinct), and what a hit costs;
 *   5. router.embed() vs a bare undici request to the mock's `/embeddings`: the embeddings path's
 *      added time (with 1).
 * The mock upstream runs in a child process, so client and server do not share a thread.
 *
 * Run: pnpm --filter @switchyard/core bench   (env BENCH_REQUESTS to change the sample size;
 * BENCH_ONLY=cache runs the answer cache's case alone, BENCH_ONLY=latency the latency comparisons,
 * BENCH_ONLY=embeddings the embeddings one, BENCH_ONLY=memory the in-memory transport ones)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { Pool } from 'undici';
import type { CatalogModel } from '../src/catalog/catalog-model.js';
import { systemClock } from '../src/clock.js';
import type { SwitchyardConfig } from '../src/config/config-types.js';
import { resolveConfig } from '../src/config/resolve-config.js';
import { type CallOptions, createRouter } from '../src/router/create-router.js';
import { orderTargets } from '../src/routing/order-targets.js';
import { profileRequest } from '../src/routing/request-profile.js';
import type { RouteTarget, Target } from '../src/routing/target.js';
import { skipReason } from '../src/routing/target-filter.js';
import { createTargetRegistry } from '../src/routing/target-registry.js';
import type { Transport } from '../src/transport/transport.js';
import type { ChatRequest } from '../src/types/chat.js';
import type { EmbeddingRequest } from '../src/types/embeddings.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const ONLY = process.env.BENCH_ONLY;
const MODEL = 'openai/gpt-4o-mini';
const KEY = 'sk-bench-0000000000000000';
const BODY: ChatRequest = {
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are a terse assistant.' },
    { role: 'user', content: 'Say hello in one short sentence.' },
  ],
  max_tokens: 32,
};
const EMBEDDING_MODEL = 'openai/text-embedding-3-small';
/** One text, 256 dimensions as floats: the answer is about as large as a short chat answer's tenfold. */
const EMBEDDING_BODY: EmbeddingRequest = {
  model: EMBEDDING_MODEL,
  input: 'Say hello in one short sentence.',
  dimensions: 256,
  encoding_format: 'float',
};

async function startMock(): Promise<{ url: string; child: ChildProcess }> {
  const require = createRequire(import.meta.url);
  const bin = join(
    dirname(require.resolve('@switchyard/mock-upstream/package.json')),
    'bin',
    'switchyard-mock.js',
  );
  const child = spawn(process.execPath, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /(http:\/\/\S+)/.exec(line);
    if (match?.[1] !== undefined) return { url: match[1], child };
  }
  throw new Error('the mock upstream did not print its URL');
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

type Sampler = () => Promise<unknown>;

async function sample(run: Sampler, count: number, into: number[]): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const start = process.hrtime.bigint();
    await run();
    into.push(Number(process.hrtime.bigint() - start) / 1000);
  }
}

const format = (microseconds: number): string => `${microseconds.toFixed(1)} µs`;

/** Sends a request alternately with a bare client and a contender; prints both and the difference. */
async function compare(input: { label: string; bare: Sampler; contender: Sampler }): Promise<void> {
  const { label, bare, contender } = input;
  const baseline: number[] = [];
  const measured: number[] = [];
  for (let index = 0; index < Math.min(2000, REQUESTS / 5); index += 1) {
    await bare();
    await contender();
  }
  for (let index = 0; index < REQUESTS * 2; index += 1) {
    const start = process.hrtime.bigint();
    await (index % 2 === 0 ? bare() : contender());
    (index % 2 === 0 ? baseline : measured).push(Number(process.hrtime.bigint() - start) / 1000);
  }
  baseline.sort((a, b) => a - b);
  measured.sort((a, b) => a - b);
  const base = { median: quantile(baseline, 0.5), p99: quantile(baseline, 0.99) };
  const other = { median: quantile(measured, 0.5), p99: quantile(measured, 0.99) };
  console.log(
    `| ${label} vs bare undici | bare undici \`request\` | ${format(base.median)} | ${format(base.p99)} | | |`,
  );
  console.log(
    `| | ${label} | ${format(other.median)} | ${format(other.p99)} | ${format(other.median - base.median)} | ${format(other.p99 - base.p99)} |`,
  );
}

/** A bare undici `request` of a JSON body to one path of the mock, its answer parsed. */
function bareRequest(pool: Pool, input: { path: string; body: unknown }): Sampler {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
  const payload = JSON.stringify(input.body);
  return async () => {
    const response = await pool.request({ method: 'POST', path: input.path, headers, body: payload });
    return response.body.json();
  };
}

async function transportComparison(url: string): Promise<void> {
  const base = new URL(url);
  const pool = new Pool(base.origin, { connections: 1 });
  const bare = bareRequest(pool, { path: `${base.pathname}/chat/completions`, body: BODY });
  const bareEmbeddings = bareRequest(pool, { path: `${base.pathname}/embeddings`, body: EMBEDDING_BODY });
  const config: SwitchyardConfig = {
    providers: { mock: { baseURL: url, apiKey: KEY, connections: 1 } },
    models: {
      primary: { provider: 'mock', model: MODEL },
      backup: { provider: 'mock', model: 'deepseek/deepseek-chat' },
      embedder: { provider: 'mock', model: EMBEDDING_MODEL },
      'embedder-backup': { provider: 'mock', model: 'openai/text-embedding-3-large' },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['primary', 'backup'] },
      embed: { strategy: 'fallback', targets: ['embedder', 'embedder-backup'] },
    },
  };
  const router = createRouter({ config });
  const routed: Sampler = () => router.chat({ ...BODY, model: 'default' });
  const embedded: Sampler = () => router.embed({ ...EMBEDDING_BODY, model: 'embed' });
  const sdk = new OpenAI({ baseURL: url, apiKey: KEY, maxRetries: 0 });
  const openai: Sampler = () =>
    sdk.chat.completions.create(BODY as OpenAI.ChatCompletionCreateParamsNonStreaming);

  console.log(
    `\n## Per-request latency, ${REQUESTS} sequential requests per client (mock upstream in a child process)\n`,
  );
  console.log('Clients alternate request by request, so that drift and garbage collection hit both alike.\n');
  console.log('| comparison | client | median | p99 | added median | added p99 |');
  console.log('|---|---|---|---|---|---|');
  const comparisons = [
    { label: '`router.chat()` (fallback route)', bare, contender: routed },
    { label: 'bare `openai` SDK', bare, contender: openai },
    { label: '`router.embed()` (fallback route, 256 floats)', bare: bareEmbeddings, contender: embedded },
  ];
  for (const comparison of comparisons) {
    if (ONLY === 'embeddings' && comparison.contender !== embedded) continue;
    await compare(comparison);
  }
  await router.close();
  await pool.close();
}

function syntheticCatalog(size: number): CatalogModel[] {
  return Array.from({ length: size }, (_, index) => ({
    id: `vendor${index % 7}/model-${index}`,
    context_length: 8192 * (1 + (index % 16)),
    pricing: { prompt: `0.000000${100 + index}`, completion: `0.00000${100 + index}` },
    supported_parameters: index % 3 === 0 ? ['tools', 'response_format'] : ['response_format'],
    architecture: { input_modalities: ['text'] },
    top_provider: { context_length: 8192 * (1 + (index % 16)), max_completion_tokens: 4096 },
  }));
}

function decisionBenchmark(): void {
  const catalog = syntheticCatalog(300);
  const models = Object.fromEntries(
    catalog.map((entry, index) => [`m${index}`, { provider: 'p', model: entry.id }]),
  );
  const config: SwitchyardConfig = {
    providers: { p: { baseURL: 'http://127.0.0.1:9/api/v1' } },
    models,
    routes: {
      fallback3: { strategy: 'fallback', targets: ['m10', 'm20', 'm30'] },
      cheapest300: { strategy: 'cheapest', targets: Object.keys(models) },
    },
  };
  const registry = createTargetRegistry({
    resolved: resolveConfig(config),
    catalog,
    clock: systemClock,
    validators: {},
  });
  const decide = (model: string): Target | undefined => {
    const request: ChatRequest = { ...BODY, model };
    const profile = profileRequest(request);
    const route = registry.resolve(model) as RouteTarget;
    const ordered = orderTargets(route, { profile, random: Math.random });
    for (const target of ordered) {
      if (target.kind === 'model' && skipReason(target, profile) === undefined) return target;
    }
    return undefined;
  };
  console.log('\n## Routing decision (resolve + request profile + order + filter), 300-model catalog\n');
  console.log('| route | median per decision | p99 |');
  console.log('|---|---|---|');
  for (const route of ['fallback3', 'cheapest300']) {
    const iterations = route === 'fallback3' ? 200_000 : 5_000;
    for (let index = 0; index < iterations / 4; index += 1) decide(route);
    const batches: number[] = [];
    const batch = 100;
    for (let index = 0; index < iterations / batch; index += 1) {
      const start = process.hrtime.bigint();
      for (let inner = 0; inner < batch; inner += 1) decide(route);
      batches.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
    }
    batches.sort((a, b) => a - b);
    const label = route === 'fallback3' ? 'fallback, 3 targets' : 'cheapest over all 300 models';
    console.log(`| ${label} | ${format(quantile(batches, 0.5))} | ${format(quantile(batches, 0.99))} |`);
  }
}

function inMemoryTransport(): Transport {
  const answer = JSON.stringify({
    id: 'gen-1',
    object: 'chat.completion',
    created: 1,
    model: MODEL,
    provider: 'OpenAI',
    system_fingerprint: null,
    choices: [
      { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello!', refusal: null } },
    ],
    usage: { prompt_tokens: 20, completion_tokens: 3, total_tokens: 23, cost: 0.0000048 },
  });
  const vectors = JSON.stringify({
    object: 'list',
    model: EMBEDDING_MODEL,
    data: [{ object: 'embedding', index: 0, embedding: Array.from({ length: 256 }, (_, i) => i / 256) }],
    usage: { prompt_tokens: 8, total_tokens: 8 },
  });
  return {
    send: async (request) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      text: async () => (request.operation === 'embeddings' ? vectors : answer),
      chunks: async function* () {},
    }),
    close: async () => undefined,
  };
}

async function timeChat(config: SwitchyardConfig, callOptions: CallOptions = {}): Promise<number[]> {
  const router = createRouter({ config, transport: inMemoryTransport() });
  const request = { ...BODY, model: 'default' };
  await sample(() => router.chat(request, callOptions), 20_000, []);
  const values: number[] = [];
  await sample(() => router.chat(request, callOptions), 100_000, values);
  await router.close();
  return values.sort((a, b) => a - b);
}

async function timeEmbed(config: SwitchyardConfig): Promise<number[]> {
  const router = createRouter({ config, transport: inMemoryTransport() });
  const request = { ...EMBEDDING_BODY, model: 'default' };
  await sample(() => router.embed(request), 20_000, []);
  const values: number[] = [];
  await sample(() => router.embed(request), 100_000, values);
  await router.close();
  return values.sort((a, b) => a - b);
}

async function inMemoryBenchmark(): Promise<void> {
  const base: SwitchyardConfig = {
    providers: { mock: { baseURL: 'http://127.0.0.1:9/api/v1', apiKey: KEY, fee: { percent: '5.5' } } },
    models: {
      primary: { provider: 'mock', model: MODEL, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
    },
    routes: { default: { strategy: 'fallback', targets: ['primary'] } },
  };
  const plain = await timeChat(base);
  console.log("\n## `router.chat()` over an in-memory transport (the router's whole CPU cost, no network)\n");
  console.log(`median ${format(quantile(plain, 0.5))}, p99 ${format(quantile(plain, 0.99))}`);
  const embeddings = await timeEmbed({
    ...base,
    models: { embedder: { provider: 'mock', model: EMBEDDING_MODEL, pricing: { prompt: '0.00000002' } } },
    routes: { default: { strategy: 'fallback', targets: ['embedder'] } },
  });
  console.log('\n## `router.embed()` over an in-memory transport (one text, 256 floats)\n');
  console.log(`median ${format(quantile(embeddings, 0.5))}, p99 ${format(quantile(embeddings, 0.99))}`);

  // The budget and limit path: a ceiling, a per-key daily budget (reserve the worst case, settle
  // the actual cost), a per-model rpm limit and a per-provider tpm limit, all in memory.
  const guarded = await timeChat(
    {
      ...base,
      maxCostPerRequest: '1',
      budgets: [{ scope: 'key', usd: '1000000', period: 'day' }],
      limits: [
        { scope: 'model', rpm: 100_000_000 },
        { scope: 'provider', tpm: 1_000_000_000 },
      ],
    },
    { caller: { key: 'team-a' } },
  );
  console.log('\n## Budget and limit path (memory store), in-memory transport\n');
  console.log('| configuration | median | p99 | added median |');
  console.log('|---|---|---|---|');
  console.log(
    `| no ceiling, budget or limit | ${format(quantile(plain, 0.5))} | ${format(quantile(plain, 0.99))} | |`,
  );
  console.log(
    `| ceiling + key budget + model rpm + provider tpm | ${format(quantile(guarded, 0.5))} | ${format(quantile(guarded, 0.99))} | ${format(quantile(guarded, 0.5) - quantile(plain, 0.5))} |`,
  );
}

/**
 * The answer cache's cost: distinct requests (each one a miss that is hashed, routed and stored)
 * on a cached route against the same requests on an uncached one, alternating request by request;
 * then the same cached route answering repeats (hits).
 */
async function cacheBenchmark(): Promise<void> {
  const base: SwitchyardConfig = {
    providers: { mock: { baseURL: 'http://127.0.0.1:9/api/v1', apiKey: KEY, fee: { percent: '5.5' } } },
    models: {
      primary: { provider: 'mock', model: MODEL, pricing: { prompt: '0.00000015', completion: '0.0000006' } },
    },
    routes: { default: { strategy: 'fallback', targets: ['primary'] } },
  };
  const uncached = createRouter({ config: base, transport: inMemoryTransport() });
  const cached = createRouter({
    config: { ...base, cache: { ttlSeconds: 3600 } },
    transport: inMemoryTransport(),
  });
  const count = 100_000;
  const distinct = (tag: string): ChatRequest[] =>
    Array.from({ length: count }, (_, index) => ({
      ...BODY,
      model: 'default',
      messages: [
        BODY.messages[0] as ChatRequest['messages'][number],
        { role: 'user', content: `${tag} question ${index}?` },
      ],
    }));
  const warm = distinct('warm');
  for (let index = 0; index < 20_000; index += 1) {
    await uncached.chat(warm[index] as ChatRequest);
    await cached.chat(warm[index] as ChatRequest);
  }
  const plainRequests = distinct('plain');
  const missRequests = distinct('miss');
  const plain: number[] = [];
  const miss: number[] = [];
  for (let index = 0; index < count; index += 1) {
    let start = process.hrtime.bigint();
    await uncached.chat(plainRequests[index] as ChatRequest);
    plain.push(Number(process.hrtime.bigint() - start) / 1000);
    start = process.hrtime.bigint();
    await cached.chat(missRequests[index] as ChatRequest);
    miss.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const hit: number[] = [];
  await sample(() => cached.chat(missRequests[count - 1] as ChatRequest), count, hit);
  await Promise.all([uncached.close(), cached.close()]);
  for (const values of [plain, miss, hit]) values.sort((a, b) => a - b);
  console.log('\n## Answer cache (memory), in-memory transport, 100,000 distinct requests\n');
  console.log('| call | median | p99 | added median |');
  console.log('|---|---|---|---|');
  console.log(`| uncached route | ${format(quantile(plain, 0.5))} | ${format(quantile(plain, 0.99))} | |`);
  console.log(
    `| cached route, miss (hash, route, store) | ${format(quantile(miss, 0.5))} | ${format(quantile(miss, 0.99))} | ${format(quantile(miss, 0.5) - quantile(plain, 0.5))} |`,
  );
  console.log(
    `| cached route, hit | ${format(quantile(hit, 0.5))} | ${format(quantile(hit, 0.99))} | ${format(quantile(hit, 0.5) - quantile(plain, 0.5))} |`,
  );
}

if (process.env.BENCH_ONLY === 'cache') {
  await cacheBenchmark();
  process.exit(0);
}

const { url, child } = await startMock();
try {
  console.log(
    `# Switchyard core overhead — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  if (ONLY === undefined) decisionBenchmark();
  if (ONLY === undefined || ONLY === 'memory') await inMemoryBenchmark();
  if (ONLY === undefined) await cacheBenchmark();
  if (ONLY === undefined || ONLY === 'latency' || ONLY === 'embeddings') await transportComparison(url);
} finally {
  child.kill('SIGTERM');
}

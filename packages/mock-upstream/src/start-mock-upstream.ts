import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCatalog } from './catalog.js';
import { createChatCompletionHandler } from './chat-completion-handler.js';
import { DEFAULT_MOCK_ALIASES, DEFAULT_MOCK_MODELS } from './default-mock-models.js';
import { createEmbeddingsHandler } from './embeddings-handler.js';
import { createLatencySampler } from './latency-profile.js';
import type { MockUpstream } from './mock-upstream.js';
import type { MockUpstreamOptions } from './mock-upstream-options.js';
import type { ModelQuirks } from './model-quirks.js';
import { createFaultPicker } from './random-faults.js';
import type { ReplySource } from './reply-plan.js';
import { createRequestListener } from './request-listener.js';
import { createRequestLog } from './request-log.js';
import { createScriptQueue } from './script-queue.js';
import { createSeededRandom } from './seeded-random.js';

/** Default timeout of `waitForRequests` and `waitForSettled`. */
const DEFAULT_WAIT_MS = 5_000;

/** Independent random streams derived from the one seed. */
const RANDOM_STREAM = { faults: 1, latency: 2, autoRouter: 3 } as const;

/**
 * Starts a loopback HTTP server that speaks OpenRouter's chat-completions wire, quirks included,
 * and its embeddings endpoint.
 * @example
 * const mock = await startMockUpstream();
 * const client = new OpenAI({ baseURL: mock.url, apiKey: 'sk-test' });
 * mock.script('openai/gpt-4o-mini', [{ kind: 'error', status: 429 }]);
 * // …
 * await mock.close();
 */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const seed = options.seed ?? 1;
  const host = options.host ?? '127.0.0.1';
  const models = options.models ?? DEFAULT_MOCK_MODELS;
  const modelIds = new Set(models.map((model) => model.id));
  const aliases =
    options.aliases ??
    Object.fromEntries(Object.entries(DEFAULT_MOCK_ALIASES).filter(([, target]) => modelIds.has(target)));
  const catalog = createCatalog({
    models,
    aliases,
    random: createSeededRandom({ seed, stream: RANDOM_STREAM.autoRouter }),
  });
  const pickFault = createFaultPicker({
    faults: options.faults,
    random: createSeededRandom({ seed, stream: RANDOM_STREAM.faults }),
  });
  const sampleLatency = createLatencySampler({
    profile: options.latency,
    random: createSeededRandom({ seed, stream: RANDOM_STREAM.latency }),
  });
  const keepAliveBefore = options.keepAlive?.before ?? 1;
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  if (!Number.isInteger(keepAliveBefore) || keepAliveBefore < 0) {
    throw new RangeError(`keepAlive.before must be an integer ≥ 0, got ${keepAliveBefore}.`);
  }
  if (!Number.isFinite(chunkDelayMs) || chunkDelayMs < 0) {
    throw new RangeError(`chunkDelayMs must be a number ≥ 0, got ${chunkDelayMs}.`);
  }

  const log = createRequestLog({ maxEntries: options.log?.maxEntries ?? 10_000 });
  const scripts = createScriptQueue();
  const replies = new Map<string, ReplySource>();
  const quirks = new Map<string, ModelQuirks>(Object.entries(options.quirks ?? {}));
  const instanceTag = randomBytes(6).toString('hex');
  const userId = `user_2mock${instanceTag}`;
  let requestCounter = 0;
  let generationCounter = 0;
  let toolCallCounter = 0;
  let inFlight = 0;
  let closing = false;
  let settledWaiters: Array<() => void> = [];

  const keys = options.apiKeys ? { apiKeys: new Set(options.apiKeys) } : {};
  const handleChat = createChatCompletionHandler({
    catalog,
    scripts,
    replies,
    quirks,
    ...(options.reply ? { globalReply: options.reply } : {}),
    ...keys,
    pickFault,
    sampleLatency,
    pacing: { keepAliveBefore, keepAliveBetween: options.keepAlive?.between ?? false, chunkDelayMs },
    usageChunkStyle: options.usageChunkStyle ?? '2026',
    userId,
    nextToolCallId: () => `call_${instanceTag}${(toolCallCounter++).toString(36).padStart(8, '0')}`,
  });

  const handleEmbeddings = createEmbeddingsHandler({
    catalog,
    scripts,
    ...keys,
    pickFault,
    sampleLatency,
    userId,
  });

  const server = createServer(
    createRequestListener({
      handleChat,
      handleEmbeddings,
      modelsBody: catalog.modelsBody,
      nextRequestId: () => ++requestCounter,
      nextGenerationId: () =>
        `gen-${Math.floor(Date.now() / 1000)}-${instanceTag}${(generationCounter++).toString(36).padStart(8, '0')}`,
      userId,
      hooks: {
        publish: (entry) => log.add(entry),
        started: () => {
          inFlight += 1;
        },
        settled: () => {
          inFlight -= 1;
          if (inFlight > 0) return;
          const waiters = settledWaiters;
          settledWaiters = [];
          for (const resolve of waiters) resolve();
        },
        isClosing: () => closing,
      },
    }),
  );
  // Benchmarks reuse connections: keep idle ones longer than typical client pools do.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Stalled responses must stay open as long as the client waits.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: `${origin}/api/v1`,
    origin,
    port,
    script(model, steps) {
      scripts.append(model, steps);
    },
    setReply(model, reply) {
      replies.set(model, reply);
    },
    setQuirks(model, modelQuirks) {
      quirks.set(model, modelQuirks);
    },
    get requests() {
      return log.entries();
    },
    waitForRequests(count, waitOptions) {
      return log.waitFor(count, waitOptions?.timeoutMs ?? DEFAULT_WAIT_MS);
    },
    waitForSettled(waitOptions) {
      if (inFlight === 0) return Promise.resolve();
      const timeoutMs = waitOptions?.timeoutMs ?? DEFAULT_WAIT_MS;
      return new Promise((resolve, reject) => {
        const waiter = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          settledWaiters = settledWaiters.filter((candidate) => candidate !== waiter);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${inFlight} in-flight request(s) to settle.`,
            ),
          );
        }, timeoutMs);
        settledWaiters.push(waiter);
      });
    },
    reset() {
      scripts.clear();
      replies.clear();
      quirks.clear();
      log.clear();
    },
    close() {
      closing = true;
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

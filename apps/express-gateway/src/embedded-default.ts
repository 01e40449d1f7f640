import type { CatalogModel, SwitchyardConfig } from '@switchyard/core';
import {
  DEFAULT_MOCK_MODELS,
  type MockChatRequest,
  type MockUpstream,
  startMockUpstream,
} from '@switchyard/mock-upstream';

/** The demo key of the embedded default (it guards a mock: it is not a secret). */
export const DEMO_KEY = 'sk-switchyard-demo';

const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const FAST = 'openai/gpt-4o-mini';
const PREMIUM = 'anthropic/claude-sonnet-4.6';
const EMBEDDER = 'openai/text-embedding-3-small';
const EMBEDDER_BACKUP = 'mistralai/mistral-embed';

/** The embedded default: a loopback mock upstream and a demo configuration against it. */
export interface EmbeddedDefault {
  config: SwitchyardConfig;
  /** The mock's catalog, so prices and context windows match what it serves. */
  catalog: readonly CatalogModel[];
  mock: MockUpstream;
}

const lastUserText = (request: MockChatRequest): string => {
  const last = [...request.messages].reverse().find((message) => message.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
};

/** Asked for JSON of no given shape: `response_format` json_object, or the word in a message. */
const asksForFreeJson = (request: MockChatRequest): boolean =>
  request.response_format?.type === 'json_object' ||
  (request.response_format === undefined &&
    request.messages.some(
      (message) => typeof message.content === 'string' && /\bjson\b/i.test(message.content),
    ));

/**
 * The premium model of the demo follows instructions: asked for JSON of no given shape
 * (`response_format` json_object, or the word in a message), it answers a summary object. Every
 * other request is left to the mock (undefined): a call of an offered tool, schema-shaped JSON for
 * a `json_schema` response format, else its echo. The cheap one keeps the mock's default, which is
 * not JSON, so the `smart` cascade and `/summarize` show an escalation.
 */
function premiumReply(request: MockChatRequest): string | undefined {
  const offersTools =
    Array.isArray(request.tools) && request.tools.length > 0 && request.tool_choice !== 'none';
  if (offersTools || !asksForFreeJson(request)) return undefined;
  const text = lastUserText(request);
  const sentences = text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim() !== '');
  const words = text.split(/\s+/).filter(Boolean);
  return JSON.stringify({
    title: words.slice(0, 6).join(' ') || 'Untitled',
    summary: sentences[0] ?? text,
    bullets: sentences.slice(0, 3),
  });
}

/**
 * Starts the embedded default: the mock upstream in-process (seeded; one premium request in four
 * fails with a 503, so fallback shows), two providers at it (`openrouter` with OpenRouter's 5.5% fee,
 * and `backup`), routes `default` (fallback), `smart` (cheap-first cascade, JSON required),
 * `thrifty` (cheapest) and `embed` (embeddings: `openai/text-embedding-3-small`, then
 * `mistralai/mistral-embed` at the backup provider; priced by the mock's catalog), and the demo key with a $5 daily budget (the worst case of a premium call without `max_tokens` is about $1).
 */
export async function startEmbeddedDefault(options: { seed?: number } = {}): Promise<EmbeddedDefault> {
  const mock = await startMockUpstream({
    seed: options.seed ?? 7,
    apiKeys: ['sk-or-embedded-mock'],
    faults: { rates: { 503: 0.25 }, models: [PREMIUM] },
    latency: { medianMs: 40, p99Ms: 250 },
  });
  mock.setReply(PREMIUM, premiumReply);
  const config: SwitchyardConfig = {
    providers: {
      openrouter: { baseURL: mock.url, apiKey: 'sk-or-embedded-mock', fee: { percent: '5.5' } },
      backup: { baseURL: mock.url, apiKey: 'sk-or-embedded-mock' },
    },
    models: {
      cheap: { provider: 'openrouter', model: CHEAP },
      fast: { provider: 'backup', model: FAST },
      premium: { provider: 'openrouter', model: PREMIUM },
      embedder: { provider: 'openrouter', model: EMBEDDER },
      'embedder-backup': { provider: 'backup', model: EMBEDDER_BACKUP },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'fast'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'], validate: { json: true } },
      thrifty: { strategy: 'cheapest', targets: ['premium', 'fast', 'cheap'] },
      embed: { strategy: 'fallback', targets: ['embedder', 'embedder-backup'] },
    },
    retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1_000 },
    timeouts: { attemptMs: 15_000, totalMs: 30_000, stallMs: 10_000 },
    keys: [{ name: 'demo', key: DEMO_KEY, budget: { usd: '5', period: 'day' } }],
  };
  return { config, catalog: DEFAULT_MOCK_MODELS, mock };
}

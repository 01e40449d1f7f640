import type { SwitchyardConfig } from '@switchyard/core';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { createSpecOracle } from '@switchyard/spec-oracle';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineBodyEncodingTests } from './body-encoding-tests.js';
import { defineCacheTests } from './cache-tests.js';
import { defineClientTests } from './client-tests.js';
import { defineCorsTests } from './cors-tests.js';
import { defineEmbeddingsTests } from './embeddings-tests.js';
import { defineErrorTests } from './error-tests.js';
import { defineHostileInputTests } from './hostile-input-tests.js';
import { defineMessagesTests } from './messages-tests.js';
import { definePolicyTests } from './policy-tests.js';
import { createRecordingFetch } from './recording-fetch.js';
import { defineResponsesTests } from './responses-tests.js';
import { defineRoutingTests } from './routing-tests.js';
import { buildSuiteConfig, GATEWAY_KEYS, PROVIDER_KEYS } from './suite-config.js';
import type { GatewayUnderTest, SuiteContext } from './suite-context.js';

/** Options of {@link defineGatewaySuite}. */
export interface GatewaySuiteOptions {
  /** Shown in the test names, e.g. `express`. */
  name: string;
  /**
   * Starts the app under test on a free loopback port with this configuration (its providers point
   * at the suite's mock upstream), with the default body limit (4 MiB).
   */
  start: (input: { config: SwitchyardConfig; mockUrl: string }) => Promise<GatewayUnderTest>;
}

/**
 * Defines the shared gateway test suite (vitest `describe`/`it`) against an app: real clients (the
 * `openai` SDK, LangChain's `ChatOpenAI`, `fetch`) and the loopback mock upstream as the only fake.
 * It checks answers against OpenRouter's schemas, the routing trace headers and `usage.cost`,
 * `GET /models/{id}`, fallback, cascade billing, client disconnects, every error status, CORS from
 * the config's `cors`, compressed request bodies (and a gzip bomb), hostile input (bad model names,
 * deep nesting, `Connection: close` on SSE, a slowloris and a slow body, cut by the config's
 * `requestLimits` and `server` limits), the answer cache (hits, SSE replay, `Cache-Control`, keys
 * kept apart), `POST /embeddings` (the `openai` SDK and LangChain's `OpenAIEmbeddings`: base64 and
 * float, fallback, cost, skips, budgets, keys), the Responses API (the openai SDK, the Vercel AI SDK,
 * LangChain) and Anthropic's Messages API (Anthropic's SDK), provider policies (a route's and a key's
merged with the request's, skips, violations that fall back, `allow_fallbacks: false`), unknown
names in `models`, conditional routes (tools, tags, headers), and finally that no provider key ever
 * appears in a response body, a header or a log line.
 * @example defineGatewaySuite({ name: 'express', start: ({ config }) => startMyGateway({ config, port: 0 }) });
 */
export function defineGatewaySuite(options: GatewaySuiteOptions): void {
  describe(`gateway suite: ${options.name}`, () => {
    const context = { recorder: createRecordingFetch() } as SuiteContext;

    beforeAll(async () => {
      context.oracle = createSpecOracle();
      context.mock = await startMockUpstream({ apiKeys: Object.values(PROVIDER_KEYS) });
      context.gateway = await options.start({
        config: buildSuiteConfig(context.mock.url),
        mockUrl: context.mock.url,
      });
    });

    beforeEach(() => context.mock.reset());

    afterAll(async () => {
      await context.gateway?.close();
      await context.mock?.close();
    });

    describe('clients', () => defineClientTests(context));
    describe('routing', () => defineRoutingTests(context));
    describe('provider policies and conditional routes', () => definePolicyTests(context));
    describe('errors', () => defineErrorTests(context));
    describe('CORS', () => defineCorsTests(context));
    describe('compressed bodies', () => defineBodyEncodingTests(context));
    describe('hostile input', () => defineHostileInputTests(context));
    describe('answer cache', () => defineCacheTests(context));
    describe('embeddings', () => defineEmbeddingsTests(context));
    describe('Responses API (/v1/responses)', () => defineResponsesTests(context));
    describe('Anthropic Messages API (/v1/messages)', () => defineMessagesTests(context));

    it('never shows a provider key in a response body or header, nor any key in a log line', async () => {
      const texts = context.recorder.texts();
      const { logs } = context.gateway;
      expect(texts.length).toBeGreaterThan(20);
      expect(logs.length).toBeGreaterThan(10);
      for (const secret of Object.values(PROVIDER_KEYS)) {
        expect(texts.filter((text) => text.includes(secret))).toEqual([]);
        expect(logs.filter((line) => line.includes(secret))).toEqual([]);
      }
      for (const key of Object.values(GATEWAY_KEYS)) {
        expect(logs.filter((line) => line.includes(key))).toEqual([]);
      }
    });
  });
}

import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication, ModuleMetadata, NestApplicationOptions } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { SwitchyardConfig } from '@switchyard/core';
import { DEFAULT_MOCK_MODELS, type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach } from 'vitest';

/** The provider key of every test; no response may contain it. */
export const PROVIDER_KEY = 'sk-or-v1-nestjs-adapter-secret-2468';
export const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
export const PREMIUM = 'anthropic/claude-sonnet-4.6';
export const FAST = 'openai/gpt-4o-mini';
/** The mock's catalog, for the router's `catalog` option (context windows and prices). */
export const CATALOG = DEFAULT_MOCK_MODELS;

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test, after everything registered later. */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** A mock upstream closed after the test. */
export async function startMock(): Promise<MockUpstream> {
  const mock = await startMockUpstream({ apiKeys: [PROVIDER_KEY] });
  onCleanup(() => mock.close());
  return mock;
}

/**
 * A config against the mock: aliases `cheap`, `premium`, `fast`; routes `default` (fallback
 * premium → cheap), `smart` (cascade cheap → premium) and `quick` (fallback fast → cheap); no
 * retries of the same target.
 */
export function mockConfig(mockUrl: string, extra: Partial<SwitchyardConfig> = {}): SwitchyardConfig {
  return {
    providers: { mock: { baseURL: mockUrl, apiKey: PROVIDER_KEY } },
    models: {
      cheap: { provider: 'mock', model: CHEAP },
      premium: { provider: 'mock', model: PREMIUM },
      fast: { provider: 'mock', model: FAST },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'] },
      quick: { strategy: 'fallback', targets: ['fast', 'cheap'] },
    },
    retry: { maxAttempts: 1 },
    ...extra,
  };
}

/** A real Nest HTTP app (Express platform) of a testing module, initialised, not listening. */
export async function buildApp(
  metadata: ModuleMetadata,
  options: NestApplicationOptions & { globalPrefix?: string } = {},
): Promise<INestApplication> {
  const { globalPrefix, ...appOptions } = options;
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication({ logger: false, ...appOptions });
  if (globalPrefix !== undefined) app.setGlobalPrefix(globalPrefix);
  await app.init();
  return app;
}

/** {@link buildApp}, closed after the test. `supertest(app.getHttpServer())` drives it. */
export async function createApp(
  metadata: ModuleMetadata,
  options: NestApplicationOptions & { globalPrefix?: string } = {},
): Promise<INestApplication> {
  const app = await buildApp(metadata, options);
  onCleanup(() => app.close());
  return app;
}

/** Listens on 127.0.0.1, a free port; returns the origin (for `fetch` and the `openai` SDK). */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A one-message chat request. */
export const ask = (content: string, model?: string) => ({
  ...(model === undefined ? {} : { model }),
  messages: [{ role: 'user' as const, content }],
});

/** OpenAI's error body. */
export interface ErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

import type { AddressInfo } from 'node:net';
import { createRouter, type Router, type SwitchyardConfig } from '@switchyard/core';
import { DEFAULT_MOCK_MODELS, type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import type { Express } from 'express';
import { afterEach } from 'vitest';

/** The provider key of every test; no response may contain it. */
export const PROVIDER_KEY = 'sk-or-v1-express-adapter-secret-5678';
export const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
export const PREMIUM = 'anthropic/claude-sonnet-4.6';
export const EMBEDDER = 'openai/text-embedding-3-small';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A mock upstream and a router with routes `default` (fallback) and `smart` (cascade) against it. */
export async function startRouter(
  extra: Partial<SwitchyardConfig> = {},
): Promise<{ mock: MockUpstream; router: Router }> {
  const mock = await startMockUpstream({ apiKeys: [PROVIDER_KEY] });
  const config: SwitchyardConfig = {
    providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
    models: {
      cheap: { provider: 'mock', model: CHEAP },
      premium: { provider: 'mock', model: PREMIUM },
      embedder: { provider: 'mock', model: EMBEDDER },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'] },
    },
    retry: { maxAttempts: 1 },
    ...extra,
  };
  const router = createRouter({ config, catalog: DEFAULT_MOCK_MODELS });
  cleanups.push(async () => {
    await router.close();
    await mock.close();
  });
  return { mock, router };
}

/** Listens on 127.0.0.1, a free port; closed after the test. Returns the base URL. */
export async function serve(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A POST with a JSON body. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

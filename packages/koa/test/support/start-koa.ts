import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter, type Router, type SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import type Koa from 'koa';
import { afterEach } from 'vitest';

export const PREMIUM = 'anthropic/claude-sonnet-4.6';
export const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
export const EMBEDDER = 'openai/text-embedding-3-small';
/** The embedding model's price per input token. */
export const EMBEDDER_PRICE = '0.00000002';
/** The provider key; tests assert it never reaches a client. */
export const PROVIDER_KEY = 'sk-or-v1-koa-test-secret-0123456789';

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

/** A mock upstream and a router with a fallback route (`default`) and a cascade (`smart`). */
export async function startRouter(): Promise<{ mock: MockUpstream; router: Router }> {
  const mock = await startMockUpstream();
  const config: SwitchyardConfig = {
    providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
    models: {
      premium: { provider: 'mock', model: PREMIUM, pricing: { prompt: '0.000003', completion: '0.000015' } },
      cheap: { provider: 'mock', model: CHEAP, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
      embedder: { provider: 'mock', model: EMBEDDER, type: 'embedding', pricing: { prompt: EMBEDDER_PRICE } },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'], validate: { json: true } },
    },
    retry: { maxAttempts: 1 },
  };
  const router = createRouter({ config });
  open.push(async () => {
    await router.close();
    await mock.close();
  });
  return { mock, router };
}

/** Serves a Koa app on a loopback port 0; closed after the test. */
export async function listen(app: Koa): Promise<string> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  open.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A one-message chat request. */
export function ask(model: string, content = 'Say hello.') {
  return { model, messages: [{ role: 'user' as const, content }] };
}

/** POSTs JSON and returns the response. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

import { createRouter, type Router, type SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach } from 'vitest';
import { ChatSwitchyard } from '../../src/index.js';

/** The premium model: first of the fallback route `default`, last of the cascade `smart`. */
export const PREMIUM = 'anthropic/claude-sonnet-4.6';
/** The cheap model: first of the cascade `smart`, second of `default`. */
export const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
/** The provider key; tests assert it never leaves the router. */
export const PROVIDER_KEY = 'sk-or-v1-langchain-test-secret-0123456789';

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

/** The test configuration against a mock upstream at `url`. */
export function testConfig(url: string): SwitchyardConfig {
  return {
    providers: { mock: { baseURL: url, apiKey: PROVIDER_KEY } },
    models: {
      premium: { provider: 'mock', model: PREMIUM, pricing: { prompt: '0.000003', completion: '0.000015' } },
      cheap: { provider: 'mock', model: CHEAP, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'] },
    },
    retry: { maxAttempts: 1 },
  };
}

/** A mock upstream on port 0 and a router over it (both closed after the test). */
export async function startRouter(): Promise<{ mock: MockUpstream; router: Router }> {
  const mock = await startMockUpstream();
  const router = createRouter({ config: testConfig(mock.url) });
  open.push(async () => {
    await router.close();
    await mock.close();
  });
  return { mock, router };
}

/** A mock upstream, a router and a `ChatSwitchyard` on `route`. */
export async function startModel(route = 'default') {
  const { mock, router } = await startRouter();
  return { mock, router, model: new ChatSwitchyard({ router, model: route }) };
}

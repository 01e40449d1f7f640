import { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach } from 'vitest';
import type { SwitchyardConfig } from '../../src/config/config-types.js';
import { createRouter, type Router, type RouterOptions } from '../../src/router/create-router.js';

/** The provider key every fixture uses; tests assert it never leaks. */
export const PROVIDER_KEY = 'sk-or-v1-fixture-secret-0123456789';

/** A mock upstream and a router whose providers point at it. */
export interface Fixture {
  mock: MockUpstream;
  router: Router;
}

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((close) => close()));
});

/**
 * Starts a loopback mock upstream and a router configured against it. `config` is given the
 * mock's base URL and returns the rest of the configuration.
 */
export async function startFixture(options: {
  config: (
    baseURL: string,
  ) => Omit<SwitchyardConfig, 'providers'> & { providers?: SwitchyardConfig['providers'] };
  mock?: MockUpstreamOptions;
  router?: Omit<RouterOptions, 'config'>;
}): Promise<Fixture> {
  const mock = await startMockUpstream(options.mock);
  const rest = options.config(mock.url);
  const config: SwitchyardConfig = {
    providers: { mock: { baseURL: mock.url, apiKey: PROVIDER_KEY } },
    ...rest,
  } as SwitchyardConfig;
  const router = createRouter({ ...options.router, config });
  open.push(async () => {
    await router.close();
    await mock.close();
  });
  return { mock, router };
}

/** A one-message chat request. */
export function ask(model: string, content = 'Say hello.', extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: 'user' as const, content }], ...extra };
}

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

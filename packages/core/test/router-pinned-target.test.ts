import { describe, expect, it } from 'vitest';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const SMALL = 'mock/small-8k';

const config = () => ({
  models: {
    premium: { provider: 'mock', model: PREMIUM },
    cheap: { provider: 'mock', model: CHEAP },
  },
  routes: {
    inner: { strategy: 'fallback' as const, targets: ['cheap', SMALL] },
    default: { strategy: 'fallback' as const, targets: ['premium', 'inner'], validate: { json: true } },
  },
  cache: { ttlSeconds: 60 },
  retry: { maxAttempts: 1 },
});

describe('a call pinned to one target of its route', () => {
  it('calls that target alone, under the route’s name, without the route’s validators', async () => {
    const { router, mock } = await startFixture({ config });
    const { trace } = await router.chat(ask('default'), { target: 'cheap' });
    expect(trace).toMatchObject({
      route: 'default',
      served: { target: 'cheap', model: CHEAP },
      fallback: false,
    });
    // A raw id listed by a nested route is reached by that name.
    const raw = await router.chat(ask('default'), { target: SMALL });
    expect(raw.trace.served).toMatchObject({ target: SMALL, model: SMALL });
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP, SMALL]);
  });

  it('does not fall back when the pinned target fails, and never uses the answer cache', async () => {
    const { router, mock } = await startFixture({ config });
    mock.script(CHEAP, [{ kind: 'error', status: 502 }]);
    const error = await rejectionOf(router.chat(ask('default'), { target: 'cheap' }));
    expect(error).toMatchObject({ trace: { route: 'default', fallback: false } });
    expect((error.trace as { attempts: unknown[] }).attempts).toHaveLength(1);
    await router.chat(ask('default'), { target: 'cheap' });
    const again = await router.chat(ask('default'), { target: 'cheap' });
    expect(again.trace.cache).toBe('bypass');
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP, CHEAP, CHEAP]);
  });

  it('refuses a name the route does not reach, before any call', async () => {
    const { router, mock } = await startFixture({ config });
    const error = await rejectionOf(router.chat(ask('default'), { target: 'nope' }));
    expect(error).toMatchObject({
      code: 'invalid_request',
      message: 'target "nope" is not a target of route "default"',
    });
    expect(mock.requests).toHaveLength(0);
  });
});

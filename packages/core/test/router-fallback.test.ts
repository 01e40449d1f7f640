import { describe, expect, it } from 'vitest';
import { RoutingError } from '../src/errors/routing-error.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, PROVIDER_KEY, rejectionOf, startFixture } from './support/fixture.js';

const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';

const fallbackConfig = () => ({
  models: {
    premium: { provider: 'mock', model: PREMIUM },
    cheap: { provider: 'mock', model: CHEAP, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
  },
  routes: { default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] } },
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
  timeouts: { attemptMs: 1500 },
});

describe('fallback route against the mock upstream', () => {
  it('serves from the first target and traces it', async () => {
    const { router, mock } = await startFixture({ config: fallbackConfig });
    const { response, trace } = await router.chat(ask('default'));
    expect(response.choices[0]?.message.content).toEqual(expect.any(String));
    expect(trace).toMatchObject({
      route: 'default',
      strategy: 'fallback',
      requestedModel: 'default',
      fallback: false,
      routeSurprise: false,
      served: { target: 'premium', provider: 'mock', model: PREMIUM, returnedModel: PREMIUM },
    });
    expect(trace.attempts).toHaveLength(1);
    expect(trace.attempts[0]).toMatchObject({ outcome: 'success', status: 200, retry: 0 });
    expect(trace.attempts[0]?.usage?.promptTokens).toBeGreaterThan(0);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.model).toBe(PREMIUM);
  });

  it.each([
    {
      name: '429',
      step: { kind: 'error' as const, status: 429 as const, retryAfterSeconds: 1 },
      outcome: 'rate_limited',
      status: 429,
    },
    {
      name: '502',
      step: { kind: 'error' as const, status: 502 as const },
      outcome: 'upstream_unavailable',
      status: 502,
    },
    {
      name: '503',
      step: { kind: 'error' as const, status: 503 as const },
      outcome: 'upstream_unavailable',
      status: 503,
    },
    {
      name: 'moderation 403',
      step: { kind: 'error' as const, status: 403 as const },
      outcome: 'moderation',
      status: 403,
    },
    {
      name: '402',
      step: { kind: 'error' as const, status: 402 as const },
      outcome: 'payment_required',
      status: 402,
    },
    {
      name: 'HTTP-200 error body',
      step: { kind: 'error-200' as const },
      outcome: 'upstream_unavailable',
      status: 200,
    },
    {
      name: 'empty choices',
      step: { kind: 'empty-choices' as const },
      outcome: 'invalid_response',
      status: 200,
    },
    { name: 'socket reset', step: { kind: 'reset' as const }, outcome: 'network', status: undefined },
  ])('falls back on $name', async ({ step, outcome, status }) => {
    const { router, mock } = await startFixture({ config: fallbackConfig });
    mock.script(PREMIUM, [step]);
    const { trace } = await router.chat(ask('default'));
    expect(trace.fallback).toBe(true);
    expect(trace.served?.target).toBe('cheap');
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome, attempt.status])).toEqual([
      ['premium', outcome, status],
      ['cheap', 'success', 200],
    ]);
    expect(mock.requests.map((request) => request.model)).toEqual([PREMIUM, CHEAP]);
  });

  it('falls back on a timeout once the attempt timeout passes', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({ config: fallbackConfig, router: { clock } });
    mock.script(PREMIUM, [{ kind: 'stall' }]);
    const answer = router.chat(ask('default'));
    await mock.waitForRequests(1);
    clock.advance(1500);
    const { trace } = await answer;
    expect(trace.fallback).toBe(true);
    expect(trace.served?.target).toBe('cheap');
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome, attempt.status])).toEqual([
      ['premium', 'timeout', undefined],
      ['cheap', 'success', 200],
    ]);
    expect(trace.attempts[0]?.latencyMs).toBe(1500);
    expect(mock.requests.map((request) => request.model)).toEqual([PREMIUM, CHEAP]);
  });

  it('does not retry or fall back on a 400 invalid request', async () => {
    const { router, mock } = await startFixture({ config: fallbackConfig });
    mock.script(PREMIUM, [
      { kind: 'error', status: 400, message: 'Invalid parameter: temperature must be <= 2' },
    ]);
    const error = await rejectionOf(router.chat(ask('default', 'hi', { temperature: 5 })));
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, expose: true });
    expect(error.message).toContain('Invalid parameter: temperature must be <= 2');
    expect(mock.requests).toHaveLength(1);
  });

  it('does not retry a 401 on the same target, and says the provider rejected its key', async () => {
    const { router, mock } = await startFixture({
      config: (baseURL) => ({
        providers: { mock: { baseURL, apiKey: 'sk-or-v1-wrong-key-abcdef' } },
        models: { premium: { provider: 'mock', model: PREMIUM } },
      }),
      mock: { apiKeys: [PROVIDER_KEY] },
    });
    const error = await rejectionOf(router.chat(ask('premium')));
    expect(error).toMatchObject({ code: 'auth', status: 502 });
    expect(mock.requests).toHaveLength(1);
    expect(error.message).not.toContain('wrong-key');
  });

  it('waits out Retry-After on the last target standing, then succeeds', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({ models: { cheap: { provider: 'mock', model: CHEAP } } }),
      router: { clock },
    });
    mock.script(CHEAP, [{ kind: 'error', status: 429, retryAfterSeconds: 1 }]);
    const { trace } = await router.chat(ask('cheap'));
    expect(clock.sleeps).toEqual([1000]);
    expect(trace.latencyMs).toBe(1000);
    expect(trace.attempts.map((attempt) => [attempt.outcome, attempt.retry])).toEqual([
      ['rate_limited', 0],
      ['success', 1],
    ]);
    expect(mock.requests).toHaveLength(2);
  });

  it('gives up with 429 and Retry-After when the wait is longer than allowed', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: { cheap: { provider: 'mock', model: CHEAP } },
        retry: { maxRetryAfterMs: 500 },
      }),
    });
    mock.script(CHEAP, [{ kind: 'error', status: 429, retryAfterSeconds: 30 }]);
    const error = await rejectionOf(router.chat(ask('cheap')));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect((error as unknown as RoutingError).headers['retry-after']).toBe('30');
    expect(mock.requests).toHaveLength(1);
  });

  it('retries a transient failure with backoff when the outcome is set to retry', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({
        ...fallbackConfig(),
        retry: { baseDelayMs: 200, maxDelayMs: 5000 },
        outcomes: { upstream_unavailable: 'retry' as const },
      }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(PREMIUM, [{ kind: 'error', status: 502, times: 2 }]);
    const { trace } = await router.chat(ask('default'));
    expect(trace.attempts.map((attempt) => `${attempt.target}:${attempt.retry}:${attempt.outcome}`)).toEqual([
      'premium:0:upstream_unavailable',
      'premium:1:upstream_unavailable',
      'premium:2:success',
    ]);
    // Full-jitter backoff: half of 200 ms, then half of 400 ms.
    expect(clock.sleeps).toEqual([100, 200]);
    expect(trace.latencyMs).toBe(300);
    expect(trace.fallback).toBe(false);
  });

  it('reports every attempt when all targets fail, with no secret anywhere', async () => {
    const { router, mock } = await startFixture({ config: fallbackConfig });
    mock.script(PREMIUM, [{ kind: 'error', status: 502, message: `upstream said ${PROVIDER_KEY}` }]);
    mock.script(CHEAP, [{ kind: 'error', status: 503, times: 3 }]);
    const error = await rejectionOf(router.chat(ask('default')));
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 502 });
    expect(error.message).toMatch(
      /^all \d attempts failed: premium: upstream_unavailable \(HTTP 502\); cheap: upstream_unavailable \(HTTP 503\)/,
    );
    const serialized = JSON.stringify({
      message: error.message,
      trace: (error as unknown as RoutingError).trace,
    });
    expect(serialized).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(mock.requests)).not.toContain(PROVIDER_KEY);
  });

  it("runs a request's OpenRouter `models` list as an ad-hoc fallback chain", async () => {
    const { router, mock } = await startFixture({ config: fallbackConfig });
    mock.script('openai/gpt-4o-mini', [{ kind: 'error', status: 503 }]);
    const { trace } = await router.chat(
      ask('openai/gpt-4o-mini', 'hi', { models: ['deepseek/deepseek-chat'] }),
    );
    expect(trace.route).toBeUndefined();
    expect(trace.served?.model).toBe('deepseek/deepseek-chat');
    expect(mock.requests.map((request) => request.model)).toEqual([
      'openai/gpt-4o-mini',
      'deepseek/deepseek-chat',
    ]);
    expect(mock.requests.every((request) => !('models' in (request.body as object)))).toBe(true);
  });

  it('flags a route surprise when the upstream serves another model', async () => {
    const { router } = await startFixture({
      config: () => ({ models: { auto: { provider: 'mock', model: 'openrouter/auto' } } }),
    });
    const { trace } = await router.chat(ask('auto'));
    expect(trace.routeSurprise).toBe(true);
    expect(trace.served?.returnedModel).not.toBe('openrouter/auto');
  });

  it('rejects an unknown model and a malformed request before any upstream call', async () => {
    const { router, mock } = await startFixture({ config: fallbackConfig });
    const error = await rejectionOf(router.chat(ask('no-such-route')));
    expect(error).toMatchObject({
      code: 'no_route',
      status: 404,
      message: 'unknown model or route "no-such-route"',
    });
    const malformed = await rejectionOf(router.chat({ model: 'default', messages: [] }));
    expect(malformed).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(mock.requests).toHaveLength(0);
  });

  it('passes the request through with the target model and the provider headers', async () => {
    const { router, mock } = await startFixture({
      config: (baseURL) => ({
        providers: {
          mock: { baseURL, apiKey: PROVIDER_KEY, headers: { 'X-OpenRouter-Title': 'switchyard-tests' } },
        },
        models: { cheap: { provider: 'mock', model: CHEAP } },
      }),
    });
    await router.chat(ask('cheap', 'hello there', { temperature: 0.2, provider: { sort: 'price' } }));
    const logged = mock.requests[0];
    expect(logged?.body).toEqual({
      model: CHEAP,
      messages: [{ role: 'user', content: 'hello there' }],
      temperature: 0.2,
      provider: { sort: 'price' },
    });
    expect(logged?.headers['x-openrouter-title']).toBe('switchyard-tests');
    expect(logged?.headers.authorization).not.toContain(PROVIDER_KEY);
  });
});

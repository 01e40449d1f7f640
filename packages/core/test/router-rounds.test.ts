import { describe, expect, it } from 'vitest';
import type { SwitchyardConfig } from '../src/config/config-types.js';
import type { RoutingTrace } from '../src/trace/routing-trace.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const A = 'openai/gpt-4o-mini';
const B = 'meta-llama/llama-3.3-70b-instruct';
const C = 'google/gemini-2.5-flash';

/** Three targets in one fallback route, with `retry` on top of a fast backoff. */
const chainConfig =
  (
    retry: SwitchyardConfig['retry'] = {},
    route: Partial<NonNullable<SwitchyardConfig['routes']>[string]> = {},
  ) =>
  () => ({
    models: {
      a: { provider: 'mock', model: A },
      b: { provider: 'mock', model: B },
      c: { provider: 'mock', model: C },
    },
    routes: { chain: { strategy: 'fallback' as const, targets: ['a', 'b', 'c'], ...route } },
    retry: { baseDelayMs: 200, maxDelayMs: 5000, ...retry },
    timeouts: { attemptMs: 1500, totalMs: 30_000 },
  });

/** Each attempt as `target:round:attemptsLeft:outcome`. */
const attemptsOf = (trace: RoutingTrace) =>
  trace.attempts.map(
    (attempt) => `${attempt.target}:${attempt.round}:${attempt.attemptsLeft}:${attempt.outcome}`,
  );

describe('retry rounds: going around the whole chain again', () => {
  it('with one round (the default), retries only the last target once every target failed', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig(),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 502 }]);
    mock.script(B, [{ kind: 'reset' }]);
    mock.script(C, [{ kind: 'error-200' }]);
    const { trace } = await router.chat(ask('chain'));
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:upstream_unavailable',
      'b:1:8:network',
      'c:1:7:upstream_unavailable',
      'c:1:6:success',
    ]);
  });

  it('with two rounds, goes back to the first target after a backoff, and traces each round', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 2 }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 502 }]);
    mock.script(B, [{ kind: 'error', status: 503 }]);
    mock.script(C, [{ kind: 'reset' }]);
    const { response, trace } = await router.chat(ask('chain'));
    expect(response.model).toBe(A);
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:upstream_unavailable',
      'b:1:8:upstream_unavailable',
      'c:1:7:network',
      'a:2:6:success',
    ]);
    // Not one wait in place on the last target: one backoff (half of 200 ms) before round 2.
    expect(clock.sleeps).toEqual([100]);
    expect(trace.served?.target).toBe('a');
    expect(mock.requests.map((request) => request.model)).toEqual([A, B, C, A]);
  });

  it('passes over a target whose Retry-After is not up when its turn comes in a later round', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 3 }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 429, retryAfterSeconds: 5 }]);
    mock.script(B, [{ kind: 'error', status: 503 }]);
    mock.script(C, [{ kind: 'error', status: 500 }]);
    const { trace } = await router.chat(ask('chain'));
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:rate_limited',
      'b:1:8:upstream_unavailable',
      'c:1:7:upstream_unavailable',
      'b:2:6:success',
    ]);
    expect(trace.skipped).toEqual([
      {
        target: 'a',
        reason: 'retry_after',
        detail: 'asked to wait 4900 ms more (Retry-After) in round 2',
        retryAfterMs: 4900,
      },
    ]);
    expect(mock.requests.map((request) => request.model)).toEqual([A, B, C, B]);
  });

  it('before a round that is not the last, waits for the first Retry-After when every target asked to wait', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 3 }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 429, retryAfterSeconds: 3 }]);
    mock.script(B, [{ kind: 'error', status: 429, retryAfterSeconds: 2 }]);
    mock.script(C, [{ kind: 'error', status: 429, retryAfterSeconds: 4 }]);
    const { trace } = await router.chat(ask('chain'));
    expect(clock.sleeps).toEqual([2000]);
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:rate_limited',
      'b:1:8:rate_limited',
      'c:1:7:rate_limited',
      'b:2:6:success',
    ]);
    expect(
      trace.skipped.map((skipped) => `${skipped.target}:${skipped.reason}:${skipped.retryAfterMs}`),
    ).toEqual(['a:retry_after:1000']);
  });

  it('before the last round, waits until every target that asked to wait may be called again', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 3 }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 500, times: 2 }]);
    mock.script(B, [{ kind: 'error', status: 429, retryAfterSeconds: 2 }]);
    mock.script(C, [{ kind: 'error', status: 429, retryAfterSeconds: 1 }]);
    const { trace } = await router.chat(ask('chain'));
    // Round 2 after the backoff: b and c still wait and are passed over. Round 3, the last, waits
    // for both (2 s from their 429s) instead of giving up on them.
    expect(clock.sleeps).toEqual([100, 1900]);
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:upstream_unavailable',
      'b:1:8:rate_limited',
      'c:1:7:rate_limited',
      'a:2:6:upstream_unavailable',
      'a:3:5:success',
    ]);
    expect(trace.skipped.map((skipped) => `${skipped.target}:${skipped.reason}`)).toEqual([
      'b:retry_after',
      'c:retry_after',
    ]);
  });

  it('does not call again a target that failed in a way no round mends', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 2 }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 402 }]);
    mock.script(B, [{ kind: 'error', status: 502 }]);
    mock.script(C, [{ kind: 'error', status: 502 }]);
    const { trace } = await router.chat(ask('chain'));
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:payment_required',
      'b:1:8:upstream_unavailable',
      'c:1:7:upstream_unavailable',
      'b:2:6:success',
    ]);
    expect(mock.requests.map((request) => request.model)).toEqual([A, B, C, B]);
  });

  it('stops at maxRequestAttempts, says so once, and fails with every attempt named', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 3, maxRequestAttempts: 4 }),
      router: { clock, random: () => 0.5 },
    });
    for (const model of [A, B, C]) mock.script(model, [{ kind: 'error', status: 502, times: 10 }]);
    const error = await rejectionOf(router.chat(ask('chain')));
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 502 });
    expect(error.message).toBe(
      'all 4 attempts failed: a: upstream_unavailable (HTTP 502); b: upstream_unavailable (HTTP 502); c: upstream_unavailable (HTTP 502); a: upstream_unavailable (HTTP 502)',
    );
    const trace = error.trace as RoutingTrace;
    expect(attemptsOf(trace)).toEqual([
      'a:1:3:upstream_unavailable',
      'b:1:2:upstream_unavailable',
      'c:1:1:upstream_unavailable',
      'a:2:0:upstream_unavailable',
    ]);
    expect(trace.skipped).toEqual([
      {
        target: 'b',
        reason: 'retry_budget',
        detail: "the request's 4 attempts are spent (retry.maxRequestAttempts)",
      },
    ]);
    expect(mock.requests).toHaveLength(4);
  });

  it('retries the last target in place in the last round, as one round does', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 2 }),
      router: { clock, random: () => 0.5 },
    });
    for (const model of [A, B]) mock.script(model, [{ kind: 'error', status: 502, times: 2 }]);
    mock.script(C, [{ kind: 'error', status: 502, times: 2 }]);
    const { trace } = await router.chat(ask('chain'));
    expect(attemptsOf(trace)).toEqual([
      'a:1:9:upstream_unavailable',
      'b:1:8:upstream_unavailable',
      'c:1:7:upstream_unavailable',
      'a:2:6:upstream_unavailable',
      'b:2:5:upstream_unavailable',
      'c:2:4:upstream_unavailable',
      'c:2:3:success',
    ]);
    expect(trace.attempts.map((attempt) => attempt.retry)).toEqual([0, 0, 0, 0, 0, 0, 1]);
  });

  it("takes the route's own retry over the top-level one", async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 1 }, { retry: { rounds: 2, maxRequestAttempts: 5 } }),
      router: { clock, random: () => 0.5 },
    });
    for (const model of [A, B, C]) mock.script(model, [{ kind: 'error', status: 503 }]);
    const { trace } = await router.chat(ask('chain'));
    expect(attemptsOf(trace)).toEqual([
      'a:1:4:upstream_unavailable',
      'b:1:3:upstream_unavailable',
      'c:1:2:upstream_unavailable',
      'a:2:1:success',
    ]);
  });

  it('gives up on another round that would reach the deadline', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({ ...chainConfig({ rounds: 2 })(), timeouts: { attemptMs: 1500, totalMs: 2500 } }),
      router: { clock, random: () => 0.5 },
    });
    for (const model of [A, B, C]) mock.script(model, [{ kind: 'error', status: 429, retryAfterSeconds: 3 }]);
    const error = await rejectionOf(router.chat(ask('chain')));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(clock.sleeps).toEqual([]);
    expect(mock.requests).toHaveLength(3);
  });

  it('goes around again for a stream that failed before its first chunk', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: chainConfig({ rounds: 2 }),
      router: { clock, random: () => 0.5 },
    });
    mock.script(A, [{ kind: 'error', status: 500 }]);
    mock.script(B, [{ kind: 'reset' }]);
    mock.script(C, [{ kind: 'error', status: 503 }]);
    const stream = await router.stream(ask('chain', 'Say hello in three words.'));
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain('Mock reply');
    expect(attemptsOf(stream.trace)).toEqual([
      'a:1:9:upstream_unavailable',
      'b:1:8:network',
      'c:1:7:upstream_unavailable',
      'a:2:6:success',
    ]);
  });
});

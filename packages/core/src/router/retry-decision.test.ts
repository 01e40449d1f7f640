import { describe, expect, it } from 'vitest';
import type { Random } from '../clock.js';
import type { SwitchyardConfig } from '../config/config-types.js';
import { resolveConfig } from '../config/resolve-config.js';
import { AttemptError } from '../errors/attempt-error.js';
import type { OutcomeCode } from '../errors/outcome-codes.js';
import { retryDecision } from './retry-decision.js';

/** Router settings as createRouter takes them from a resolved configuration. */
function settingsOf(config: Omit<SwitchyardConfig, 'providers'> = {}, random: Random = () => 0.5) {
  const resolved = resolveConfig({ providers: { up: { baseURL: 'http://127.0.0.1:1/v1' } }, ...config });
  return { actions: resolved.actions, retry: resolved.retry, random };
}

const failure = (code: OutcomeCode, retryAfterMs?: number) =>
  new AttemptError({
    code,
    message: `upstream said ${code}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

/** The decision after a failure with the defaults: first try, last target standing, a minute left. */
function decide(
  input: Partial<Parameters<typeof retryDecision>[0]> & { error: AttemptError },
): ReturnType<typeof retryDecision> {
  return retryDecision({
    retry: 0,
    attemptsLeft: 9,
    hasAlternatives: false,
    remainingMs: 60_000,
    settings: settingsOf(),
    ...input,
  });
}

describe('retryDecision', () => {
  it.each<OutcomeCode>([
    'invalid_request',
    'aborted',
    'deadline_exceeded',
    'budget_exceeded',
    'store_unavailable',
  ])('never retries %s, whose action is stop', (code) => {
    expect(decide({ error: failure(code, 100) })).toEqual({ retry: false });
  });

  it('never retries a transient failure whose action the config turned to stop', () => {
    const settings = settingsOf({ outcomes: { upstream_unavailable: 'stop' } });
    expect(decide({ error: failure('upstream_unavailable'), settings })).toEqual({ retry: false });
  });

  it('retries a retry action even when other targets could serve', () => {
    const settings = settingsOf({ outcomes: { upstream_unavailable: 'retry' } });
    expect(decide({ error: failure('upstream_unavailable'), hasAlternatives: true, settings })).toEqual({
      retry: true,
      waitMs: 100,
    });
  });

  it('retries a non-transient failure whose action the config turned to retry', () => {
    const settings = settingsOf({ outcomes: { bad_output: 'retry' } });
    expect(decide({ error: failure('bad_output'), hasAlternatives: true, settings })).toEqual({
      retry: true,
      waitMs: 100,
    });
  });

  it('stops at maxAttempts tries per target, the first included', () => {
    const settings = settingsOf({ retry: { maxAttempts: 3 } });
    const error = failure('timeout');
    expect(decide({ error, retry: 0, settings }).retry).toBe(true);
    expect(decide({ error, retry: 1, settings }).retry).toBe(true);
    expect(decide({ error, retry: 2, settings })).toEqual({ retry: false });
  });

  it("never retries once the request's attempt budget is spent", () => {
    const error = failure('timeout');
    expect(decide({ error, attemptsLeft: 1 })).toEqual({ retry: true, waitMs: 100 });
    expect(decide({ error, attemptsLeft: 0 })).toEqual({ retry: false });
  });

  it('never retries with maxAttempts 1', () => {
    const settings = settingsOf({ retry: { maxAttempts: 1 }, outcomes: { timeout: 'retry' } });
    expect(decide({ error: failure('timeout'), settings })).toEqual({ retry: false });
  });

  it.each<OutcomeCode>(['rate_limited', 'upstream_unavailable', 'timeout', 'network', 'invalid_response'])(
    'moves on from a transient %s while another target can serve, and retries it on the last one',
    (code) => {
      expect(decide({ error: failure(code), hasAlternatives: true })).toEqual({ retry: false });
      expect(decide({ error: failure(code), hasAlternatives: false })).toEqual({ retry: true, waitMs: 100 });
    },
  );

  it.each<OutcomeCode>([
    'auth',
    'payment_required',
    'moderation',
    'not_supported',
    'context_length',
    'bad_output',
  ])('never retries a non-transient %s, even on the last target standing', (code) => {
    expect(decide({ error: failure(code), hasAlternatives: false })).toEqual({ retry: false });
  });

  it('waits the Retry-After the upstream asked for rather than the backoff', () => {
    expect(decide({ error: failure('rate_limited', 1_234) })).toEqual({ retry: true, waitMs: 1_234 });
    expect(decide({ error: failure('rate_limited', 0) })).toEqual({ retry: true, waitMs: 0 });
  });

  it('backs off exponentially with full jitter from the injected random', () => {
    const settings = settingsOf(
      { retry: { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 5_000 } },
      () => 0.5,
    );
    const waits = [0, 1, 2, 3, 4, 5].map((retry) => decide({ error: failure('timeout'), retry, settings }));
    expect(waits).toEqual([
      { retry: true, waitMs: 100 },
      { retry: true, waitMs: 200 },
      { retry: true, waitMs: 400 },
      { retry: true, waitMs: 800 },
      { retry: true, waitMs: 1_600 },
      { retry: true, waitMs: 2_500 },
    ]);
  });

  it('draws the backoff from zero up to just under its ceiling', () => {
    const error = failure('timeout');
    expect(decide({ error, settings: settingsOf({}, () => 0) })).toEqual({ retry: true, waitMs: 0 });
    expect(decide({ error, settings: settingsOf({}, () => 0.999_999) })).toEqual({
      retry: true,
      waitMs: 199,
    });
  });

  it('waits out a Retry-After of exactly maxRetryAfterMs and gives up on a longer one', () => {
    const settings = settingsOf({ retry: { maxRetryAfterMs: 10_000 } });
    expect(decide({ error: failure('rate_limited', 10_000), settings })).toEqual({
      retry: true,
      waitMs: 10_000,
    });
    expect(decide({ error: failure('rate_limited', 10_001), settings })).toEqual({ retry: false });
  });

  it('gives up on a backoff longer than maxRetryAfterMs', () => {
    const settings = settingsOf({ retry: { baseDelayMs: 4_000, maxRetryAfterMs: 1_000 } });
    expect(decide({ error: failure('timeout'), settings })).toEqual({ retry: false });
  });

  it('gives up when the wait would reach the deadline', () => {
    const error = failure('rate_limited', 1_000);
    expect(decide({ error, remainingMs: 1_001 })).toEqual({ retry: true, waitMs: 1_000 });
    expect(decide({ error, remainingMs: 1_000 })).toEqual({ retry: false });
    expect(decide({ error: failure('rate_limited', 0), remainingMs: 0 })).toEqual({ retry: false });
  });
});

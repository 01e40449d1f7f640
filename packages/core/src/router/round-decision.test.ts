import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { resolveConfig } from '../config/resolve-config.js';
import { AttemptError } from '../errors/attempt-error.js';
import type { OutcomeCode } from '../errors/outcome-codes.js';
import type { ModelTarget, RouteTarget } from '../routing/target.js';
import {
  anotherRoundLeft,
  noteFailure,
  openRetryBudget,
  type RetryBudget,
  roundPass,
} from './retry-budget.js';
import { roundDecision } from './round-decision.js';

const resolved = (retry: Record<string, number> = {}) =>
  resolveConfig({ providers: { up: { baseURL: 'http://127.0.0.1:1/v1' } }, retry });

/** A model target as the registry compiles one; the budget only uses its identity. */
const target = (name: string) => ({ kind: 'model', name }) as unknown as ModelTarget;
const A = target('a');
const B = target('b');
const C = target('c');
const route = (retry?: RouteTarget['retry']) =>
  ({
    kind: 'route',
    name: 'r',
    strategy: 'fallback',
    entries: [],
    validators: [],
    hedgeAfterMs: 0,
    ...(retry ? { retry } : {}),
  }) as RouteTarget;

const failure = (code: OutcomeCode, retryAfterMs?: number) =>
  new AttemptError({ code, message: code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

/** A budget of `rounds` and `attempts` with failures noted at the fake clock's time. */
function budgetWith(input: {
  rounds: number;
  attempts?: number;
  failures?: Array<[ModelTarget, AttemptError]>;
  now: number;
}): RetryBudget {
  const settings = resolved({ rounds: input.rounds, maxRequestAttempts: input.attempts ?? 10 });
  const budget = openRetryBudget(settings.retry, route());
  for (const [failed, error] of input.failures ?? []) {
    noteFailure(budget, { target: failed, error, now: input.now, actions: settings.actions });
  }
  return budget;
}

const RETRY = { baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 };

describe('openRetryBudget', () => {
  it('takes the top-level settings, and a route’s own retry over them', () => {
    const settings = resolved({ rounds: 2, maxRequestAttempts: 6 });
    expect(openRetryBudget(settings.retry, route())).toMatchObject({
      rounds: 2,
      maxAttempts: 6,
      round: 1,
      attemptsLeft: 6,
    });
    expect(openRetryBudget(settings.retry, route({ rounds: 4 }))).toMatchObject({
      rounds: 4,
      maxAttempts: 6,
    });
    expect(openRetryBudget(settings.retry, route({ maxRequestAttempts: 3 }))).toMatchObject({
      rounds: 2,
      attemptsLeft: 3,
    });
    expect(openRetryBudget(resolved().retry, A)).toMatchObject({ rounds: 1, maxAttempts: 10 });
  });
});

describe('roundDecision', () => {
  it('goes around again after the backoff when a target failed in a transient way', () => {
    const clock = createFakeClock();
    const budget = budgetWith({
      rounds: 3,
      failures: [[A, failure('upstream_unavailable')]],
      now: clock.monotonic(),
    });
    const decide = () =>
      roundDecision({ budget, now: clock.monotonic(), deadlineAt: 60_000, retry: RETRY, random: () => 0.5 });
    expect(decide()).toEqual({ again: true, waitMs: 100 }); // round 1: half of 200
    budget.round = 2;
    expect(decide()).toEqual({ again: true, waitMs: 200 }); // round 2: half of 400
    budget.round = 3;
    expect(decide()).toEqual({ again: false, reason: 'rounds' });
  });

  it('never starts a round past rounds, or once the attempt budget is spent', () => {
    const now = 0;
    const one = budgetWith({ rounds: 1, failures: [[A, failure('timeout')]], now });
    expect(roundDecision({ budget: one, now, deadlineAt: 60_000, retry: RETRY, random: () => 0 })).toEqual({
      again: false,
      reason: 'rounds',
    });
    const spent = budgetWith({ rounds: 3, failures: [[A, failure('timeout')]], now });
    spent.attemptsLeft = 0;
    expect(anotherRoundLeft(spent)).toBe(false);
    expect(roundDecision({ budget: spent, now, deadlineAt: 60_000, retry: RETRY, random: () => 0 })).toEqual({
      again: false,
      reason: 'attempts',
    });
  });

  it('does not go around for failures no round mends (auth, payment, bad output)', () => {
    const budget = budgetWith({
      rounds: 3,
      failures: [
        [A, failure('auth')],
        [B, failure('payment_required')],
        [C, failure('bad_output')],
      ],
      now: 0,
    });
    expect(roundDecision({ budget, now: 0, deadlineAt: 60_000, retry: RETRY, random: () => 0 })).toEqual({
      again: false,
      reason: 'nothing_retryable',
    });
  });

  it('before a round that is not the last, waits for the first target whose Retry-After ends', () => {
    const clock = createFakeClock();
    const budget = budgetWith({
      rounds: 3,
      failures: [
        [A, failure('rate_limited', 3_000)],
        [B, failure('rate_limited', 1_500)],
      ],
      now: clock.monotonic(),
    });
    clock.advance(500);
    expect(
      roundDecision({ budget, now: clock.monotonic(), deadlineAt: 60_000, retry: RETRY, random: () => 0.5 }),
    ).toEqual({ again: true, waitMs: 1_000 });
  });

  it('before the last round, waits until every target that asked to wait may be called', () => {
    const clock = createFakeClock();
    const budget = budgetWith({
      rounds: 3,
      failures: [
        [A, failure('rate_limited', 3_000)],
        [B, failure('rate_limited', 1_500)],
        [C, failure('network')],
      ],
      now: clock.monotonic(),
    });
    budget.round = 2;
    clock.advance(500);
    expect(
      roundDecision({ budget, now: clock.monotonic(), deadlineAt: 60_000, retry: RETRY, random: () => 0.5 }),
    ).toEqual({ again: true, waitMs: 2_500 });
  });

  it('takes the backoff when one target may be called at once, unless the next round is the last', () => {
    const failures: Array<[ModelTarget, AttemptError]> = [
      [A, failure('rate_limited', 3_000)],
      [B, failure('network')],
    ];
    const early = budgetWith({ rounds: 3, failures, now: 0 });
    expect(
      roundDecision({ budget: early, now: 0, deadlineAt: 60_000, retry: RETRY, random: () => 0.5 }),
    ).toEqual({
      again: true,
      waitMs: 100,
    });
    const last = budgetWith({ rounds: 2, failures, now: 0 });
    expect(
      roundDecision({ budget: last, now: 0, deadlineAt: 60_000, retry: RETRY, random: () => 0.5 }),
    ).toEqual({
      again: true,
      waitMs: 3_000,
    });
  });

  it('leaves out a target whose Retry-After outlasts the deadline, and stops when none is left', () => {
    const budget = budgetWith({ rounds: 2, failures: [[A, failure('rate_limited', 5_000)]], now: 0 });
    expect(roundDecision({ budget, now: 0, deadlineAt: 4_000, retry: RETRY, random: () => 0.5 })).toEqual({
      again: false,
      reason: 'nothing_retryable',
    });
    noteFailure(budget, { target: B, error: failure('timeout'), now: 0, actions: resolved().actions });
    expect(roundDecision({ budget, now: 0, deadlineAt: 4_000, retry: RETRY, random: () => 0.5 })).toEqual({
      again: true,
      waitMs: 100,
    });
  });

  it('does not wait for a Retry-After past the deadline or maxRetryAfterMs, nor a backoff reaching the deadline', () => {
    const budget = budgetWith({ rounds: 2, failures: [[A, failure('rate_limited', 2_000)]], now: 0 });
    expect(roundDecision({ budget, now: 0, deadlineAt: 2_000, retry: RETRY, random: () => 0 })).toEqual({
      again: false,
      reason: 'nothing_retryable',
    });
    expect(
      roundDecision({
        budget,
        now: 0,
        deadlineAt: 60_000,
        retry: { ...RETRY, maxRetryAfterMs: 1_999 },
        random: () => 0,
      }),
    ).toEqual({ again: false, reason: 'nothing_retryable' });
    const slow = budgetWith({ rounds: 2, failures: [[A, failure('timeout')]], now: 0 });
    expect(
      roundDecision({ budget: slow, now: 0, deadlineAt: 150, retry: RETRY, random: () => 0.999 }),
    ).toEqual({ again: false, reason: 'deadline' });
  });
});

describe('roundPass', () => {
  it('calls a target that never failed, and one whose Retry-After is up', () => {
    const clock = createFakeClock();
    const budget = budgetWith({
      rounds: 2,
      failures: [[A, failure('rate_limited', 1_000)]],
      now: clock.monotonic(),
    });
    expect(roundPass(budget, { target: B, now: clock.monotonic() })).toEqual({ kind: 'call' });
    clock.advance(1_000);
    expect(roundPass(budget, { target: A, now: clock.monotonic() })).toEqual({ kind: 'call' });
  });

  it('skips a target whose Retry-After is not up yet, saying how long it asked to wait', () => {
    const clock = createFakeClock();
    const budget = budgetWith({
      rounds: 2,
      failures: [[A, failure('rate_limited', 1_000)]],
      now: clock.monotonic(),
    });
    budget.round = 2;
    clock.advance(400);
    expect(roundPass(budget, { target: A, now: clock.monotonic() })).toEqual({
      kind: 'skip',
      reason: 'retry_after',
      detail: 'asked to wait 600 ms more (Retry-After) in round 2',
      retryAfterMs: 600,
    });
  });

  it('passes over a target that failed in a way no round mends', () => {
    const budget = budgetWith({ rounds: 2, failures: [[A, failure('auth')]], now: 0 });
    expect(roundPass(budget, { target: A, now: 0 })).toEqual({ kind: 'pass' });
  });

  it('goes around for an outcome the config turned to retry', () => {
    const settings = resolveConfig({
      providers: { up: { baseURL: 'http://127.0.0.1:1/v1' } },
      retry: { rounds: 2 },
      outcomes: { bad_output: 'retry' },
    });
    const budget = openRetryBudget(settings.retry, route());
    noteFailure(budget, { target: A, error: failure('bad_output'), now: 0, actions: settings.actions });
    expect(roundPass(budget, { target: A, now: 0 })).toEqual({ kind: 'call' });
    expect(roundDecision({ budget, now: 0, deadlineAt: 60_000, retry: RETRY, random: () => 0 })).toEqual({
      again: true,
      waitMs: 0,
    });
  });

  it('says once that the attempt budget is spent, then passes the remaining targets over', () => {
    const budget = budgetWith({ rounds: 1, attempts: 4, now: 0 });
    budget.attemptsLeft = 0;
    expect(roundPass(budget, { target: A, now: 0 })).toEqual({
      kind: 'skip',
      reason: 'retry_budget',
      detail: "the request's 4 attempts are spent (retry.maxRequestAttempts)",
    });
    expect(roundPass(budget, { target: B, now: 0 })).toEqual({ kind: 'pass' });
  });
});

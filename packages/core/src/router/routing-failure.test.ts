import { describe, expect, it } from 'vitest';
import { AttemptError } from '../errors/attempt-error.js';
import type { OutcomeCode } from '../errors/outcome-codes.js';
import { RoutingError } from '../errors/routing-error.js';
import { StoreUnavailableError } from '../errors/store-unavailable-error.js';
import type { SkipReason } from '../routing/skip-reason.js';
import type { BudgetDenial } from '../spend/budget-guard.js';
import { newAttemptRecord } from '../trace/new-attempt-record.js';
import { newTrace } from '../trace/new-trace.js';
import type { AttemptTrace, RoutingTrace, SkippedTarget } from '../trace/routing-trace.js';
import { Interruption } from './interruption.js';
import type { FailedAttempt } from './request-execution.js';
import { type RequestEnding, type RoutingFailureInput, routingFailure } from './routing-failure.js';

/** The trace record of an attempt that ended with `outcome`. */
function attemptRecord(input: {
  index: number;
  target: string;
  outcome: OutcomeCode;
  status?: number;
}): AttemptTrace {
  return {
    ...newAttemptRecord({
      index: input.index,
      target: { name: input.target, provider: 'up', model: `mock/${input.target}` },
      retry: 0,
      round: 1,
      attemptsLeft: 9,
      worstCaseUsd: undefined,
    }),
    outcome: input.outcome,
    status: input.status,
    message: `${input.outcome} at ${input.target}`,
    latencyMs: 12,
  };
}

/** One failed attempt as the router records it: in the trace, and as a typed failure. */
interface Failure {
  index: number;
  target: string;
  code: OutcomeCode;
  status?: number;
  retryAfterMs?: number;
  message?: string;
}

function errorOf(failure: Failure): AttemptError {
  return new AttemptError({
    code: failure.code,
    message: failure.message ?? `${failure.target} failed: ${failure.code}`,
    ...(failure.status === undefined ? {} : { upstreamStatus: failure.status }),
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  });
}

/** The input of a request whose attempts failed as listed, and whose skips are as listed. */
function requestOf(options: {
  failures?: Failure[];
  skipped?: SkippedTarget[];
  ending?: RequestEnding;
  budgetDenial?: BudgetDenial;
  promptTokens?: () => number;
}): { input: RoutingFailureInput; trace: RoutingTrace; errors: AttemptError[] } {
  const trace = newTrace({
    requestedModel: 'default',
    startedAt: Date.parse('2026-03-10T18:00:00Z'),
    caller: {},
  });
  trace.route = 'default';
  trace.strategy = 'fallback';
  const failures: FailedAttempt[] = [];
  const errors: AttemptError[] = [];
  for (const failure of options.failures ?? []) {
    const error = errorOf(failure);
    errors.push(error);
    trace.attempts[failure.index] = attemptRecord({ ...failure, outcome: failure.code });
    failures.push({ index: failure.index, target: failure.target, status: failure.status, error });
  }
  trace.skipped.push(...(options.skipped ?? []));
  const input: RoutingFailureInput = {
    trace,
    ending: options.ending ?? { kind: 'not_served', ...(errors.length > 0 ? { error: errors.at(-1) } : {}) },
    failures,
    budgetDenial: options.budgetDenial,
    deadlineMs: 120_000,
    promptTokens: options.promptTokens ?? (() => 10),
  };
  return { input, trace, errors };
}

const DENIAL: BudgetDenial = {
  budget: 'key:team-a',
  limitUsd: '5',
  spentUsd: '4.99',
  reservedUsd: '0.005',
  neededUsd: '0.01',
  resetsAt: '2026-03-11T00:00:00.000Z',
  retryAfterMs: 21_600_000,
};

describe('routingFailure: one failure', () => {
  it('keeps the failure’s code, message, retry-after and error', () => {
    const { input, trace, errors } = requestOf({
      failures: [
        {
          index: 0,
          target: 'cheap',
          code: 'rate_limited',
          status: 429,
          retryAfterMs: 2_500,
          message: 'slow down',
        },
      ],
    });
    const error = routingFailure(input);
    expect(error).toBeInstanceOf(RoutingError);
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.message).toBe('slow down');
    expect(error.retryAfterMs).toBe(2_500);
    expect(error.headers['retry-after']).toBe('3');
    expect(error.lastError).toBe(errors[0]);
    expect(error.cause).toBe(errors[0]);
    expect(error.trace).toBe(trace);
    expect(error.budget).toBeUndefined();
  });

  it('gives no retry-after when the failure had none', () => {
    const { input } = requestOf({
      failures: [{ index: 0, target: 'cheap', code: 'auth', status: 401, message: 'bad key' }],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).toBe('bad key');
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.headers).toEqual({});
  });

  it('keeps a stop failure’s own code even after skips', () => {
    const { input } = requestOf({
      skipped: [{ target: 'small', reason: 'context_window' }],
      failures: [{ index: 0, target: 'big', code: 'invalid_request', status: 400, message: 'bad tools' }],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe('bad tools');
  });
});

describe('routingFailure: several failures', () => {
  it('uses their common code and names every attempt with its HTTP status', () => {
    const { input, errors } = requestOf({
      failures: [
        { index: 0, target: 'primary', code: 'upstream_unavailable', status: 503 },
        { index: 1, target: 'backup', code: 'upstream_unavailable', status: 502 },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      'all 2 attempts failed: primary: upstream_unavailable (HTTP 503); backup: upstream_unavailable (HTTP 502)',
    );
    expect(error.lastError).toBe(errors[1]);
    expect(error.cause).toBe(errors[1]);
  });

  it('fails with all_targets_failed when the codes differ, in attempt order, without a status it never had', () => {
    const { input } = requestOf({
      failures: [
        { index: 2, target: 'third', code: 'timeout' },
        { index: 0, target: 'first', code: 'upstream_unavailable', status: 500 },
        { index: 1, target: 'second', code: 'network' },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('all_targets_failed');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      'all 3 attempts failed: first: upstream_unavailable (HTTP 500); second: network; third: timeout',
    );
  });

  it('counts retries on one target as attempts of their own', () => {
    const { input } = requestOf({
      failures: [
        { index: 0, target: 'only', code: 'timeout' },
        { index: 1, target: 'only', code: 'timeout' },
        { index: 2, target: 'only', code: 'timeout' },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('timeout');
    expect(error.status).toBe(504);
    expect(error.message).toBe('all 3 attempts failed: only: timeout; only: timeout; only: timeout');
  });

  it('passes on the last wait when every attempt was rate limited', () => {
    const { input } = requestOf({
      failures: [
        { index: 0, target: 'a', code: 'rate_limited', status: 429, retryAfterMs: 9_000 },
        { index: 1, target: 'b', code: 'rate_limited', status: 429, retryAfterMs: 4_000 },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(4_000);
    expect(error.headers['retry-after']).toBe('4');
  });

  it('gives no retry-after when the failures were not all rate limits', () => {
    const { input } = requestOf({
      failures: [
        { index: 0, target: 'a', code: 'upstream_unavailable', status: 503 },
        { index: 1, target: 'b', code: 'rate_limited', status: 429, retryAfterMs: 4_000 },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('all_targets_failed');
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.headers['retry-after']).toBeUndefined();
  });

  it('reports the attempts when the request ended on a skip after failures', () => {
    const { input } = requestOf({
      failures: [
        { index: 0, target: 'a', code: 'upstream_unavailable', status: 503 },
        { index: 1, target: 'a', code: 'upstream_unavailable', status: 503 },
      ],
      skipped: [{ target: 'a', reason: 'breaker_open' }],
      ending: { kind: 'not_served' },
    });
    const error = routingFailure(input);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toBe(
      'all 2 attempts failed: a: upstream_unavailable (HTTP 503); a: upstream_unavailable (HTTP 503)',
    );
    expect(error.lastError).toBeUndefined();
  });
});

describe('routingFailure: every target skipped', () => {
  it('fails with the code of the first skip and lists every skip, detail first', () => {
    const { input } = requestOf({
      skipped: [
        {
          target: 'free',
          reason: 'rate_limit',
          detail: 'limit model:*:free allows 20 requests per minute',
          retryAfterMs: 30_000,
        },
        { target: 'paid', reason: 'budget', detail: 'budget key:team-a is spent', retryAfterMs: 7_200 },
        { target: 'big', reason: 'breaker_open' },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.message).toBe(
      'no target can serve this request: free: limit model:*:free allows 20 requests per minute; paid: budget key:team-a is spent; big: breaker_open',
    );
    expect(error.retryAfterMs).toBe(7_200);
    expect(error.headers['retry-after']).toBe('8');
    expect(error.lastError).toBeUndefined();
  });

  it('attaches the budget denial and the soonest wait to a budget refusal', () => {
    const { input, trace } = requestOf({
      skipped: [
        {
          target: 'a',
          reason: 'budget',
          detail: 'budget key:team-a: $4.99 of $5 spent',
          retryAfterMs: 21_600_000,
        },
        { target: 'b', reason: 'budget', detail: 'budget global: $100 of $100 spent', retryAfterMs: 600_000 },
      ],
      budgetDenial: DENIAL,
    });
    const error = routingFailure(input);
    expect(error.code).toBe('budget_exceeded');
    expect(error.status).toBe(402);
    expect(error.budget).toEqual(DENIAL);
    expect(error.retryAfterMs).toBe(600_000);
    expect(error.trace).toBe(trace);
  });

  it('names the prompt’s size when no context window fits it', () => {
    let counted = 0;
    const { input } = requestOf({
      skipped: [
        { target: 'small', reason: 'context_window' },
        { target: 'medium', reason: 'context_window' },
      ],
      promptTokens: () => {
        counted += 1;
        return 9_321;
      },
    });
    const error = routingFailure(input);
    expect(error.code).toBe('context_length');
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'no target can serve this request (the prompt is about 9321 tokens): small: context_window; medium: context_window',
    );
    expect(counted).toBe(1);
  });

  it('counts the prompt only for a context-window message', () => {
    let counted = 0;
    const { input } = requestOf({
      skipped: [{ target: 'a', reason: 'capability:tools' }],
      promptTokens: () => {
        counted += 1;
        return 1;
      },
    });
    expect(routingFailure(input).message).toBe('no target can serve this request: a: capability:tools');
    expect(counted).toBe(0);
  });

  it('gives no retry-after for codes other than rate limits and budgets, whatever the skips say', () => {
    const { input } = requestOf({
      skipped: [
        { target: 'a', reason: 'breaker_open', retryAfterMs: 5_000 },
        { target: 'b', reason: 'rate_limit', retryAfterMs: 1_000 },
      ],
    });
    const error = routingFailure(input);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('gives no retry-after to a rate limit that named no wait', () => {
    const { input } = requestOf({ skipped: [{ target: 'a', reason: 'rate_limit' }] });
    const error = routingFailure(input);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it.each<[SkipReason, OutcomeCode, number]>([
    ['context_window', 'context_length', 400],
    ['max_completion_tokens', 'invalid_request', 400],
    ['breaker_open', 'upstream_unavailable', 502],
    ['over_ceiling', 'cost_ceiling', 402],
    ['cost_unknown', 'unpriced_model', 402],
    ['budget', 'budget_exceeded', 402],
    ['rate_limit', 'rate_limited', 429],
    ['capability:tools', 'not_supported', 404],
    ['capability:vision', 'not_supported', 404],
    ['capability:structured_outputs', 'not_supported', 404],
    ['capability:response_format', 'not_supported', 404],
  ])('fails a request skipped for %s with %s (HTTP %i)', (reason, code, status) => {
    const { input } = requestOf({ skipped: [{ target: 'a', reason }] });
    const error = routingFailure(input);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('fails with no_route when there was no target at all', () => {
    const { input } = requestOf({});
    const error = routingFailure(input);
    expect(error.code).toBe('no_route');
    expect(error.status).toBe(404);
    expect(error.message).toBe('no target can serve this request: no targets');
  });
});

describe('routingFailure: thrown', () => {
  it('reports the deadline in whole ms, whatever the attempts did', () => {
    const { input, trace } = requestOf({
      failures: [{ index: 0, target: 'a', code: 'upstream_unavailable', status: 503 }],
      ending: { kind: 'thrown', error: new Interruption('deadline') },
    });
    const error = routingFailure({ ...input, deadlineMs: 2_999.6 });
    expect(error.code).toBe('deadline_exceeded');
    expect(error.status).toBe(504);
    expect(error.message).toBe('no answer within the deadline of 3000 ms');
    expect(error.trace).toBe(trace);
    expect(error.lastError).toBeUndefined();
  });

  it('reports a caller’s abort with the caller’s reason as its cause', () => {
    const reason = new Error('client closed the connection');
    const { input } = requestOf({
      failures: [{ index: 0, target: 'a', code: 'timeout' }],
      ending: { kind: 'thrown', error: new Interruption('caller', reason) },
    });
    const error = routingFailure(input);
    expect(error.code).toBe('aborted');
    expect(error.status).toBe(499);
    expect(error.message).toBe('the request was aborted by the caller');
    expect(error.cause).toBe(reason);
  });

  it('reports a caller’s abort without a reason with no cause', () => {
    const { input } = requestOf({ ending: { kind: 'thrown', error: new Interruption('caller') } });
    const error = routingFailure(input);
    expect(error.code).toBe('aborted');
    expect(error.cause).toBeUndefined();
  });

  it('turns a store outage into store_unavailable with its wait', () => {
    const outage = new StoreUnavailableError({ message: 'redis did not answer within 500 ms' });
    const { input, trace } = requestOf({ ending: { kind: 'thrown', error: outage } });
    const error = routingFailure(input);
    expect(error.code).toBe('store_unavailable');
    expect(error.status).toBe(503);
    expect(error.message).toBe('redis did not answer within 500 ms');
    expect(error.retryAfterMs).toBe(1_000);
    expect(error.headers['retry-after']).toBe('1');
    expect(error.cause).toBe(outage);
    expect(error.trace).toBe(trace);
  });

  it('passes an already-built RoutingError through unchanged', () => {
    const { input, trace } = requestOf({
      failures: [{ index: 0, target: 'a', code: 'upstream_unavailable', status: 503 }],
    });
    const built = new RoutingError({ code: 'stream_interrupted', message: 'the stream broke', trace });
    expect(routingFailure({ ...input, ending: { kind: 'thrown', error: built } })).toBe(built);
  });

  it('builds an unexpected error from the failures, with it as the cause', () => {
    const unexpected = new TypeError('cannot read properties of undefined');
    const { input } = requestOf({
      failures: [
        { index: 0, target: 'a', code: 'upstream_unavailable', status: 503 },
        { index: 1, target: 'b', code: 'timeout' },
      ],
      ending: { kind: 'thrown', error: unexpected },
    });
    const error = routingFailure(input);
    expect(error.code).toBe('all_targets_failed');
    expect(error.message).toBe('all 2 attempts failed: a: upstream_unavailable (HTTP 503); b: timeout');
    expect(error.cause).toBe(unexpected);
    expect(error.lastError).toBeUndefined();
  });

  it('keeps a lone failure’s code for an unexpected error thrown after it', () => {
    const unexpected = new Error('hook exploded');
    const { input } = requestOf({
      failures: [{ index: 0, target: 'a', code: 'network' }],
      ending: { kind: 'thrown', error: unexpected },
    });
    const error = routingFailure(input);
    expect(error.code).toBe('network');
    expect(error.message).toBe('all 1 attempts failed: a: network');
    expect(error.cause).toBe(unexpected);
  });
});

import { AsyncCaller } from '@langchain/core/utils/async_caller';
import { createRouter, type OutcomeCode, RoutingError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { isRetryableFailure, markRetryable, switchyardFailedAttemptHandler } from './retry-policy.js';

/** A real RoutingError of each code, with the trace of a request the router refused. */
async function routingErrors(codes: OutcomeCode[]): Promise<Record<string, RoutingError>> {
  const router = createRouter({ config: { providers: { up: { baseURL: 'http://127.0.0.1:9/v1' } } } });
  const refused = await router
    .chat({ model: 'no-such-route', messages: [{ role: 'user', content: 'Hi' }] })
    .then(
      () => expect.unreachable(),
      (error: unknown) => error as RoutingError,
    );
  await router.close();
  return Object.fromEntries(
    codes.map((code) => [code, new RoutingError({ code, message: code, trace: refused.trace })]),
  );
}

describe('the retry policy of a routed request', () => {
  it('allows only transient failures and all_targets_failed', async () => {
    const retryable: OutcomeCode[] = [
      'rate_limited',
      'upstream_unavailable',
      'timeout',
      'network',
      'invalid_response',
      'all_targets_failed',
    ];
    const final: OutcomeCode[] = [
      'invalid_request',
      'no_route',
      'budget_exceeded',
      'cost_ceiling',
      'context_length',
      'bad_output',
      'aborted',
      'stream_interrupted',
      'deadline_exceeded',
    ];
    const errors = await routingErrors([...retryable, ...final]);
    expect(retryable.filter((code) => isRetryableFailure(errors[code]))).toEqual(retryable);
    expect(final.filter((code) => isRetryableFailure(errors[code]))).toEqual([]);
    expect(isRetryableFailure(new Error('boom'))).toBe(false);
    expect(() => switchyardFailedAttemptHandler(errors.timeout)).not.toThrow();
    expect(() => switchyardFailedAttemptHandler(errors.no_route)).toThrow(errors.no_route);
  });

  it("marks errors so that LangChain's own AsyncCaller does not retry a final failure", async () => {
    const { bad_output: badOutput, network } = await routingErrors(['bad_output', 'network']);
    const caller = new AsyncCaller({ maxRetries: 1 });
    let calls = 0;
    await expect(
      caller.call(async () => {
        calls += 1;
        throw markRetryable(badOutput);
      }),
    ).rejects.toBe(badOutput);
    // A 502 LangChain would otherwise retry: the mark stops it.
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      caller.call(async () => {
        calls += 1;
        throw markRetryable(network);
      }),
    ).rejects.toBe(network);
    expect(calls).toBe(2);
  });
});

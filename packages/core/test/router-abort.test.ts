import { describe, expect, it } from 'vitest';
import type { RoutingError } from '../src/errors/routing-error.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const MODEL = 'openai/gpt-4o-mini';
const config = () => ({ models: { one: { provider: 'mock', model: MODEL } } });

describe('abort and deadlines', () => {
  it("passes a caller's abort to the upstream request", async () => {
    const { router, mock } = await startFixture({ config });
    mock.script(MODEL, [{ kind: 'stall' }]);
    const controller = new AbortController();
    const answer = router.chat(ask('one'), { signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();
    const error = await rejectionOf(answer);
    expect(error).toMatchObject({ code: 'aborted', status: 499 });
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
  });

  it('gives up at the total deadline with deadline_exceeded', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({ config, router: { clock } });
    mock.script(MODEL, [{ kind: 'stall', times: 5 }]);
    const answer = rejectionOf(router.chat(ask('one'), { timeoutMs: 300 }));
    await mock.waitForRequests(1);
    clock.advance(299);
    expect(clock.pending).toBe(1);
    clock.advance(1);
    const error = await answer;
    expect(error.code).toBe('deadline_exceeded');
    expect(error.message).toBe('no answer within the deadline of 300 ms');
    expect((error as unknown as RoutingError).trace.latencyMs).toBe(300);
    expect(error.status).toBe(504);
    await mock.waitForSettled();
    expect(mock.requests.every((request) => request.aborted)).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { router, mock } = await startFixture({ config });
    const error = await rejectionOf(router.chat(ask('one'), { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'aborted' });
    expect(mock.requests).toHaveLength(0);
  });
});

import { describe, expect, it } from 'vitest';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const MODEL = 'openai/gpt-4o-mini';
const config = () => ({ models: { one: { provider: 'mock', model: MODEL } } });

describe('abort and deadlines', () => {
  it("passes a caller's abort to the upstream request", async () => {
    const { router, mock } = await startFixture({ config });
    mock.script(MODEL, [{ kind: 'stall' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectionOf(router.chat(ask('one'), { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'aborted', status: 499 });
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
  });

  it('gives up at the total deadline with deadline_exceeded', async () => {
    const { router, mock } = await startFixture({ config });
    mock.script(MODEL, [{ kind: 'stall', times: 5 }]);
    const started = performance.now();
    const error = await rejectionOf(router.chat(ask('one'), { timeoutMs: 300 }));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(['deadline_exceeded', 'timeout']).toContain(error.code);
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

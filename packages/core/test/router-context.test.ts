import { describe, expect, it } from 'vitest';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const SMALL = 'mock/small-8k';
const BIG = 'anthropic/claude-sonnet-4.6';
const LONG_PROMPT = 'Summarize the meeting notes. '.repeat(2500);

describe('context windows', () => {
  it('skips a target whose context cannot hold the prompt and serves from the larger one', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          small: { provider: 'mock', model: SMALL, contextLength: 8192 },
          big: { provider: 'mock', model: BIG, contextLength: 200_000 },
        },
        routes: { default: { strategy: 'fallback' as const, targets: ['small', 'big'] } },
      }),
    });
    const { trace } = await router.chat(ask('default', LONG_PROMPT, { max_tokens: 500 }));
    expect(trace.skipped).toEqual([{ target: 'small', reason: 'context_window' }]);
    expect(trace.served?.target).toBe('big');
    expect(mock.requests.map((request) => request.model)).toEqual([BIG]);
  });

  it('moves on when an upstream answers with a context-length error', async () => {
    const { router, mock } = await startFixture({
      // No context length configured: only the upstream knows the small model is too small.
      config: () => ({
        models: { small: { provider: 'mock', model: SMALL }, big: { provider: 'mock', model: BIG } },
        routes: { default: { strategy: 'fallback' as const, targets: ['small', 'big'] } },
      }),
    });
    const { trace } = await router.chat(ask('default', LONG_PROMPT, { max_tokens: 500 }));
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome, attempt.status])).toEqual([
      ['small', 'context_length', 400],
      ['big', 'success', 200],
    ]);
    expect(mock.requests.map((request) => request.model)).toEqual([SMALL, BIG]);
  });

  it('refuses before any call when no target can hold the prompt', async () => {
    const { router, mock } = await startFixture({
      config: () => ({ models: { small: { provider: 'mock', model: SMALL, contextLength: 8192 } } }),
    });
    const error = await rejectionOf(router.chat(ask('small', LONG_PROMPT)));
    expect(error).toMatchObject({ code: 'context_length', status: 400 });
    expect(error.message).toMatch(
      /^no target can serve this request \(the prompt is about \d+ tokens\): small: context_window$/,
    );
    expect(mock.requests).toHaveLength(0);
  });

  it('skips a target without tool support when the request carries tools', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          plain: { provider: 'mock', model: SMALL, capabilities: [] },
          tooled: { provider: 'mock', model: BIG, capabilities: ['tools' as const] },
        },
        routes: { default: { strategy: 'fallback' as const, targets: ['plain', 'tooled'] } },
      }),
    });
    const tools = [
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
    ];
    const { response, trace } = await router.chat(ask('default', 'Look it up.', { tools }));
    expect(trace.skipped).toEqual([{ target: 'plain', reason: 'capability:tools' }]);
    expect(response.choices[0]?.message.tool_calls?.[0]?.type).toBe('function');
    expect(mock.requests.map((request) => request.model)).toEqual([BIG]);
  });
});

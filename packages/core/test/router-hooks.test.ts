import { describe, expect, it } from 'vitest';
import type { RoutingError } from '../src/errors/routing-error.js';
import { parseUsd } from '../src/pricing/money.js';
import type { FallbackEvent } from '../src/router/router-hooks.js';
import type { AttemptTrace, RoutingTrace } from '../src/trace/routing-trace.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const PRIMARY = 'openai/gpt-4o-mini';
const SECONDARY = 'deepseek/deepseek-chat';

describe('router hooks', () => {
  it('reports attempts, fallbacks, results and errors; a throwing hook changes nothing', async () => {
    const attempts: AttemptTrace['outcome'][] = [];
    const fallbacks: FallbackEvent[] = [];
    const results: RoutingTrace[] = [];
    const errors: RoutingError[] = [];
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          primary: { provider: 'mock', model: PRIMARY },
          secondary: { provider: 'mock', model: SECONDARY },
        },
        routes: { default: { strategy: 'fallback' as const, targets: ['primary', 'secondary'] } },
      }),
      router: {
        hooks: {
          onAttempt: (attempt) => {
            attempts.push(attempt.outcome);
            throw new Error('a broken logger');
          },
          onFallback: (event) => fallbacks.push(event),
          onResult: (trace) => results.push(trace),
          onError: (error) => errors.push(error),
        },
      },
    });
    mock.script(PRIMARY, [{ kind: 'error', status: 503 }]);
    const { trace } = await router.chat(ask('default'));
    expect(attempts).toEqual(['upstream_unavailable', 'success']);
    expect(fallbacks.map((event) => [event.from, event.outcome, event.escalation])).toEqual([
      ['primary', 'upstream_unavailable', false],
    ]);
    expect(results).toEqual([trace]);

    mock.script(PRIMARY, [{ kind: 'error', status: 400 }]);
    const error = await rejectionOf(router.chat(ask('default')));
    expect(errors).toEqual([error]);
    expect(errors[0]?.trace.attempts.at(-1)?.outcome).toBe('invalid_request');
  });

  it('totals cost and tokens over every attempt of a request', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          primary: {
            provider: 'mock',
            model: PRIMARY,
            pricing: { prompt: '0.00000015', completion: '0.0000006' },
          },
          secondary: {
            provider: 'mock',
            model: SECONDARY,
            pricing: { prompt: '0.00000027', completion: '0.0000011' },
          },
        },
        routes: {
          smart: {
            strategy: 'cascade' as const,
            targets: ['primary', 'secondary'],
            validate: { json: true },
          },
        },
      }),
    });
    mock.setReply(PRIMARY, 'plain words');
    mock.setReply(SECONDARY, '{"ok": true}');
    const { trace, response } = await router.chat(ask('smart'));
    const [first, second] = trace.attempts;
    expect(parseUsd(trace.costUsd)).toBe(parseUsd(first?.costUsd ?? '') + parseUsd(second?.costUsd ?? ''));
    expect(trace.promptTokens).toBe((first?.usage?.promptTokens ?? 0) + (second?.usage?.promptTokens ?? 0));
    // Priced from the alias override: 0.00000027 per prompt token, 0.0000011 per completion token.
    const usage = response.usage;
    const expected =
      BigInt(usage?.prompt_tokens ?? 0) * 270_000n + BigInt(usage?.completion_tokens ?? 0) * 1_100_000n;
    expect(parseUsd(second?.costUsd ?? '')).toBe(expected);
    // The upstream's own figure is kept beside ours.
    expect(second?.usage?.reportedCost).toBe(usage?.cost);
  });
});

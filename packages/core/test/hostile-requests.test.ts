import { describe, expect, it } from 'vitest';
import { RoutingError } from '../src/errors/routing-error.js';
import type { ChatRequest } from '../src/types/chat.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const PRIMARY = 'openai/gpt-4o-mini';
const BACKUP = 'deepseek/deepseek-chat';

/** 5,000 arrays nested in one another, as JSON.parse makes them from a 10 KB body. */
const deepArrays = (): unknown => JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);

/** Requests JSON.stringify cannot serialize, each as a caller (or a hostile client) could send it. */
function hostileRequests(): Array<[string, ChatRequest]> {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  return [
    ['metadata nested 5,000 levels', { ...ask('default'), metadata: deepArrays() } as ChatRequest],
    [
      'a tool schema nested 5,000 levels',
      {
        ...ask('default'),
        tools: [{ type: 'function', function: { name: 'f', parameters: { items: deepArrays() } } }],
      } as ChatRequest,
    ],
    ['a circular object', { ...ask('default'), metadata: circular } as ChatRequest],
    ['a BigInt', { ...ask('default'), seed: 10n } as unknown as ChatRequest],
  ];
}

async function startRouter() {
  return startFixture({
    config: () => ({
      models: { primary: { provider: 'mock', model: PRIMARY }, backup: { provider: 'mock', model: BACKUP } },
      routes: { default: { strategy: 'fallback' as const, targets: ['primary', 'backup'] } },
      // One counted failure would open a breaker: the tests show none is counted.
      breaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 30_000 },
    }),
  });
}

describe('requests the router cannot serialize', () => {
  it.each(hostileRequests())(
    'fail %s as the caller’s invalid_request, before any attempt',
    async (_name, request) => {
      const { router, mock } = await startRouter();
      for (const call of [() => router.chat(request), () => router.stream(request)]) {
        const error = await rejectionOf(call());
        expect(RoutingError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
        expect(error.message).toMatch(/^the request cannot be serialized as JSON: /);
        expect((error as unknown as RoutingError).trace.attempts).toEqual([]);
      }
      expect(mock.requests).toEqual([]);
    },
  );

  it('cannot open a breaker, however many are sent: the next good request is served first try', async () => {
    const { router, mock } = await startRouter();
    for (let round = 0; round < 5; round += 1) {
      for (const [, request] of hostileRequests()) await rejectionOf(router.chat(request));
    }
    expect(Object.values(router.breakerStates())).toEqual(['closed', 'closed']);
    const { trace } = await router.chat(ask('default'));
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['primary', 'success'],
    ]);
    expect(mock.requests.map((request) => request.model)).toEqual([PRIMARY]);
  });

  it('still opens a breaker for failures the upstream causes (the threshold is live)', async () => {
    const { router, mock } = await startRouter();
    mock.script(PRIMARY, [{ kind: 'error', status: 502 }]);
    await router.chat(ask('default'));
    expect(router.breakerStates()[`mock/${PRIMARY}`]).toBe('open');
  });
});

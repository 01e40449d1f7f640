import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { UpstreamLimitsConfig } from '../src/config/config-types.js';
import { RoutingError } from '../src/errors/routing-error.js';
import type { ChatChunk } from '../src/types/chat.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, PROVIDER_KEY, rejectionOf, startFixture } from './support/fixture.js';
import {
  type Behaviour,
  contentEvent,
  pump,
  startMisbehavingUpstream,
  type UpstreamCall,
} from './support/misbehaving-upstream.js';

const MIB = 1024 * 1024;
const BACKUP = 'meta-llama/llama-3.3-70b-instruct';

const sse = (response: ServerResponse): void => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
};

/** A JSON answer of about `size` bytes, sent in 64 KiB pieces of one huge content string. */
const hugeAnswer =
  (size: number): Behaviour =>
  (response, call) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const head =
      '{"id":"gen-big","object":"chat.completion","model":"test/big","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"';
    const piece = 'a'.repeat(64 * 1024);
    let part: 'head' | 'content' | 'tail' | 'done' = 'head';
    pump(response, call, () => {
      if (part === 'head') {
        part = 'content';
        return head;
      }
      if (part === 'content' && call.written < size) return piece;
      if (part === 'done') return undefined;
      part = 'done';
      return '"}}]}';
    });
  };

/** An SSE answer whose first line never ends: `data: {"choices":…"content":"xxxx…` for `size` bytes. */
const endlessLine =
  (size: number): Behaviour =>
  (response, call) => {
    sse(response);
    const piece = 'x'.repeat(64 * 1024);
    let started = false;
    pump(response, call, () => {
      if (!started) {
        started = true;
        return 'data: {"id":"gen-line","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"';
      }
      return call.written < size ? piece : undefined;
    });
  };

/** An SSE answer that never ends: one content event after another, for ever (or until cut). */
const endlessStream: Behaviour = (response, call) => {
  sse(response);
  let count = 0;
  pump(response, call, () => {
    count += 1;
    return contentEvent(`word${count} `);
  });
};

/** An SSE answer that sends one event every 20 ms, for ever (or until cut). */
const tricklingStream: Behaviour = (response) => {
  sse(response);
  const timer = setInterval(() => response.write(contentEvent('tick ')), 20);
  response.on('close', () => clearInterval(timer));
};

/**
 * A router with two targets in a fallback route: `bad` on the misbehaving upstream, then `backup`
 * on the mock upstream, which answers well. One counted failure would open `bad`'s breaker.
 */
async function startRouter(input: {
  behaviour: Behaviour;
  limits?: UpstreamLimitsConfig;
  clock?: ReturnType<typeof createFakeClock>;
}) {
  const upstream = await startMisbehavingUpstream({ 'test/bad': input.behaviour });
  const fixture = await startFixture({
    config: (mockURL) => ({
      providers: {
        mock: { baseURL: mockURL, apiKey: PROVIDER_KEY },
        hostile: { baseURL: upstream.baseURL, apiKey: PROVIDER_KEY },
      },
      models: {
        bad: { provider: 'hostile', model: 'test/bad' },
        backup: { provider: 'mock', model: BACKUP },
      },
      routes: {
        default: { strategy: 'fallback' as const, targets: ['bad', 'backup'] },
        alone: { strategy: 'fallback' as const, targets: ['bad'] },
      },
      breaker: { failureThreshold: 1 },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      ...(input.limits === undefined ? {} : { upstreamLimits: input.limits }),
    }),
    ...(input.clock === undefined ? {} : { router: { clock: input.clock } }),
  });
  return { ...fixture, upstream };
}

const outcomes = (trace: { attempts: ReadonlyArray<{ target: string; outcome?: string }> }) =>
  trace.attempts.map((attempt) => [attempt.target, attempt.outcome]);

/** The cut answer's connection: closed by the router before the upstream finished it. */
async function expectCut(call: UpstreamCall | undefined, atMost: number): Promise<void> {
  expect(await call?.closed).toEqual({ finished: false });
  expect(call?.written).toBeLessThan(atMost);
}

async function drain(stream: AsyncIterable<ChatChunk>): Promise<{ chunks: ChatChunk[]; error?: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks };
}

describe('upstream limits', () => {
  it('falls back from a 50 MB JSON answer past maxAnswerBytes, cutting it, without counting a breaker failure', async () => {
    const { router, upstream } = await startRouter({
      behaviour: hugeAnswer(50 * MIB),
      limits: { maxAnswerBytes: MIB },
    });
    const { trace, response } = await router.chat(ask('default'));
    expect(outcomes(trace)).toEqual([
      ['bad', 'upstream_too_large'],
      ['backup', 'success'],
    ]);
    expect(trace.attempts[0]?.message).toBe(
      'bad (hostile/test/bad) sent an answer larger than 1048576 bytes (upstreamLimits.maxAnswerBytes)',
    );
    expect(response.choices[0]?.message.content).not.toBe('');
    // Not retried (the same answer would come again), and not the target's health.
    expect(upstream.calls).toHaveLength(1);
    expect(router.breakerStates()['hostile/test/bad']).toBe('closed');
    await expectCut(upstream.calls[0], 50 * MIB);
  });

  it('stops a big answer with the default limit (16 MiB)', async () => {
    const { router, upstream } = await startRouter({ behaviour: hugeAnswer(24 * MIB) });
    const error = await rejectionOf(router.chat(ask('alone')));
    expect(error).toMatchObject({ code: 'upstream_too_large', status: 502 });
    expect(error.message).toContain('larger than 16777216 bytes (upstreamLimits.maxAnswerBytes)');
    await expectCut(upstream.calls[0], 24 * MIB);
  });

  it('falls back from a 33 MB SSE line that never ends, past maxSseLineBytes, before the first chunk', async () => {
    const { router, upstream } = await startRouter({
      behaviour: endlessLine(33 * MIB),
      limits: { maxSseLineBytes: MIB },
    });
    const stream = await router.stream(ask('default'));
    const { chunks, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(chunks.length).toBeGreaterThan(1);
    expect(outcomes(stream.trace)).toEqual([
      ['bad', 'upstream_too_large'],
      ['backup', 'success'],
    ]);
    expect(stream.trace.attempts[0]?.message).toContain(
      'sent an SSE line longer than 1048576 bytes (upstreamLimits.maxSseLineBytes)',
    );
    await expectCut(upstream.calls[0], 33 * MIB);
  });

  it('ends an endless stream past maxStreamBytes after its first chunk with upstream_too_large', async () => {
    const { router, upstream } = await startRouter({
      behaviour: endlessStream,
      limits: { maxStreamBytes: 256 * 1024 },
    });
    const stream = await router.stream(ask('default'));
    const { chunks, error } = await drain(stream);
    expect(chunks.length).toBeGreaterThan(100);
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'upstream_too_large', status: 502 });
    expect((error as Error).message).toContain(
      'sent a stream larger than 262144 bytes (upstreamLimits.maxStreamBytes)',
    );
    expect(outcomes(stream.trace)).toEqual([['bad', 'upstream_too_large']]);
    expect(router.breakerStates()['hostile/test/bad']).toBe('closed');
    await expectCut(upstream.calls[0], 10 * MIB);
  });

  it('ends a stream still going after maxStreamMs (on the router clock)', async () => {
    const clock = createFakeClock();
    const { router, upstream } = await startRouter({
      behaviour: tricklingStream,
      limits: { maxStreamMs: 5000 },
      clock,
    });
    const stream = await router.stream(ask('default'));
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    expect((await iterator.next()).done).toBe(false);
    clock.advance(4999);
    expect((await iterator.next()).done).toBe(false);
    clock.advance(1);
    const error = await rejectionOf(
      (async () => {
        for (;;) if ((await iterator.next()).done) return;
      })(),
    );
    expect(error).toMatchObject({ code: 'upstream_too_large' });
    expect(error.message).toContain('sent a stream still going after 5000 ms (upstreamLimits.maxStreamMs)');
    expect(await upstream.calls[0]?.closed).toEqual({ finished: false });
  });
});

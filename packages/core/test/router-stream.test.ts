import { describe, expect, it } from 'vitest';
import { RoutingError } from '../src/errors/routing-error.js';
import type { ChatChunk } from '../src/types/chat.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const PREMIUM = 'anthropic/claude-sonnet-4.6';
const CHEAP = 'meta-llama/llama-3.3-70b-instruct';

const streamConfig = () => ({
  models: {
    premium: { provider: 'mock', model: PREMIUM, pricing: { prompt: '0.000003', completion: '0.000015' } },
    cheap: { provider: 'mock', model: CHEAP, pricing: { prompt: '0.00000012', completion: '0.0000003' } },
  },
  routes: {
    default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] },
    smart: { strategy: 'cascade' as const, targets: ['cheap', 'premium'], validate: { json: true } },
  },
  timeouts: { attemptMs: 5000, stallMs: 1000 },
});

async function drain(
  stream: AsyncIterable<ChatChunk>,
): Promise<{ chunks: ChatChunk[]; text: string; error?: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, text: textOf(chunks), error };
  }
  return { chunks, text: textOf(chunks) };
}

const textOf = (chunks: ChatChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');

describe('streaming through the router', () => {
  it('streams chunks, ignores keep-alives, and keeps the usage chunk and its cost', async () => {
    const { router, mock } = await startFixture({
      config: streamConfig,
      mock: { keepAlive: { before: 2, between: true } },
    });
    mock.setReply(PREMIUM, 'One two three four five.');
    const stream = await router.stream(ask('default'));
    expect(stream.trace.served?.target).toBe('premium');
    const { chunks, text, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(text).toBe('One two three four five.');
    expect(chunks.length).toBeGreaterThan(2);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.cost).toBeGreaterThan(0);
    expect(stream.trace.attempts[0]?.usage?.completionTokens).toBe(last?.usage?.completion_tokens);
    expect(Number(stream.trace.costUsd)).toBeGreaterThan(0);
    expect(stream.trace.attempts[0]?.firstChunkMs).toBeGreaterThanOrEqual(0);
    expect(mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('accepts the 2025 usage chunk with an empty-delta choice', async () => {
    const { router } = await startFixture({ config: streamConfig, mock: { usageChunkStyle: '2025' } });
    const stream = await router.stream(ask('cheap'));
    const { error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(stream.trace.attempts[0]?.usage?.promptTokens).toBeGreaterThan(0);
  });

  it.each([
    [
      'an HTTP 503 before the stream',
      { kind: 'error' as const, status: 503 as const },
      'upstream_unavailable',
    ],
    [
      'an error chunk before content',
      { kind: 'mid-stream-error' as const, afterChunks: 0 },
      'upstream_unavailable',
    ],
    ['a socket reset before content', { kind: 'reset' as const, afterChunks: 0 }, 'network'],
  ])('falls back on %s', async (_name, step, outcome) => {
    const { router, mock } = await startFixture({
      config: () => ({ ...streamConfig(), timeouts: { attemptMs: 1500, stallMs: 1000 } }),
    });
    mock.script(PREMIUM, [step]);
    const stream = await router.stream(ask('default'));
    const { text, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(text.length).toBeGreaterThan(0);
    expect(stream.trace.fallback).toBe(true);
    expect(stream.trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['premium', outcome],
      ['cheap', 'success'],
    ]);
  });

  it('falls back on a stall before content once the attempt timeout passes', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: () => ({ ...streamConfig(), timeouts: { attemptMs: 1500, stallMs: 1000 } }),
      router: { clock },
    });
    mock.script(PREMIUM, [{ kind: 'stall', afterChunks: 0 }]);
    const opened = router.stream(ask('default'));
    await mock.waitForRequests(1);
    clock.advance(1500);
    const stream = await opened;
    const { text, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(text.length).toBeGreaterThan(0);
    expect(stream.trace.fallback).toBe(true);
    expect(stream.trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['premium', 'timeout'],
      ['cheap', 'success'],
    ]);
    expect(stream.trace.attempts[0]).toMatchObject({
      latencyMs: 1500,
      message: expect.stringContaining('did not answer within 1500 ms'),
    });
  });

  it.each([
    [
      'a mid-stream error chunk',
      { kind: 'mid-stream-error' as const, afterChunks: 2 },
      'upstream_unavailable',
    ],
    ['a socket reset', { kind: 'reset' as const, afterChunks: 2 }, 'network'],
    ['an end without a finish reason', { kind: 'no-finish' as const, afterChunks: 2 }, 'invalid_response'],
    [
      'finish_reason "error"',
      { kind: 'finish-error' as const, partialContent: 'Half of an answer' },
      'upstream_unavailable',
    ],
  ])('raises a typed error after the first chunk on %s', async (_name, step, outcome) => {
    const { router, mock } = await startFixture({ config: streamConfig });
    mock.setReply(PREMIUM, 'Alpha beta gamma delta epsilon zeta eta theta.');
    mock.script(PREMIUM, [step]);
    const stream = await router.stream(ask('default'));
    const { chunks, error } = await drain(stream);
    expect(chunks.length).toBeGreaterThan(0);
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'stream_interrupted', status: 502 });
    expect((error as RoutingError).lastError?.code).toBe(outcome);
    expect(stream.trace.attempts.map((attempt) => attempt.outcome)).toEqual([outcome]);
    expect(mock.requests).toHaveLength(1);
  });

  it('raises a typed timeout after the first chunk when the stream stalls for stallMs', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({ config: streamConfig, router: { clock } });
    mock.setReply(PREMIUM, 'Alpha beta gamma delta epsilon zeta eta theta.');
    mock.script(PREMIUM, [{ kind: 'stall', afterChunks: 2 }]);
    const stream = await router.stream(ask('default'));
    const chunks = stream[Symbol.asyncIterator]();
    // The two chunks the upstream sent before it went silent.
    expect((await chunks.next()).done).toBe(false);
    expect((await chunks.next()).done).toBe(false);
    const third = rejectionOf(chunks.next());
    clock.advance(999);
    expect(stream.trace.attempts[0]?.outcome).toBe('success');
    clock.advance(1);
    const error = await third;
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'stream_interrupted', status: 502 });
    expect((error as unknown as RoutingError).lastError?.code).toBe('timeout');
    expect(stream.trace.attempts.map((attempt) => attempt.outcome)).toEqual(['timeout']);
    expect(stream.trace.attempts[0]).toMatchObject({
      latencyMs: 1000,
      message: expect.stringContaining('stalled: no data for 1000 ms'),
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('buffers and validates a stream when the route validates, escalating a cascade', async () => {
    const { router, mock } = await startFixture({ config: streamConfig });
    mock.setReply(CHEAP, 'not json at all');
    mock.setReply(PREMIUM, '{"answer": 42}');
    const stream = await router.stream(ask('smart'));
    const { text } = await drain(stream);
    expect(text).toBe('{"answer": 42}');
    expect(stream.trace.escalated).toBe(true);
    expect(stream.trace.attempts.map((attempt) => attempt.outcome)).toEqual(['bad_output', 'success']);
    expect(mock.requests).toHaveLength(2);
  });

  it('aborts the upstream when the consumer stops reading', async () => {
    const { router, mock } = await startFixture({ config: streamConfig, mock: { chunkDelayMs: 30 } });
    mock.setReply(PREMIUM, 'word '.repeat(200));
    const stream = await router.stream(ask('default'));
    let seen = 0;
    for await (const _chunk of stream) {
      seen += 1;
      if (seen === 3) break;
    }
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
    expect(stream.trace.attempts[0]?.outcome).toBe('aborted');
  });

  it("passes the caller's abort to the upstream mid-stream", async () => {
    const { router, mock } = await startFixture({ config: streamConfig, mock: { chunkDelayMs: 30 } });
    mock.setReply(PREMIUM, 'word '.repeat(200));
    const controller = new AbortController();
    const stream = await router.stream(ask('default'), { signal: controller.signal });
    let error: unknown;
    try {
      for await (const _chunk of stream) controller.abort();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'aborted', status: 499 });
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
  });

  it('fails over every target before the first chunk with one typed error', async () => {
    const { router, mock } = await startFixture({ config: streamConfig });
    mock.script(PREMIUM, [{ kind: 'error', status: 502 }]);
    mock.script(CHEAP, [{ kind: 'error', status: 502, times: 3 }]);
    const error = await rejectionOf(router.stream(ask('default')));
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
    expect(mock.requests.length).toBeGreaterThanOrEqual(2);
  });
});

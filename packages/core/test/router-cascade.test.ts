import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const PREMIUM = 'anthropic/claude-sonnet-4.6';
const SCHEMA = {
  type: 'object',
  required: ['title', 'tags'],
  properties: { title: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
};

const cascadeConfig = () => ({
  models: { cheap: { provider: 'mock', model: CHEAP }, premium: { provider: 'mock', model: PREMIUM } },
  routes: {
    smart: { strategy: 'cascade' as const, targets: ['cheap', 'premium'], validate: { schema: SCHEMA } },
  },
});

describe('cheap-first cascade', () => {
  it('escalates when the cheap answer fails the schema', async () => {
    const { router, mock } = await startFixture({ config: cascadeConfig });
    mock.setReply(CHEAP, '{"title": "Draft"}');
    mock.setReply(PREMIUM, '{"title": "Final", "tags": ["a"]}');
    const { response, trace } = await router.chat(ask('smart'));
    expect(response.choices[0]?.message.content).toBe('{"title": "Final", "tags": ["a"]}');
    expect(trace.escalated).toBe(true);
    expect(trace.fallback).toBe(false);
    expect(trace.attempts.map((attempt) => [attempt.target, attempt.outcome])).toEqual([
      ['cheap', 'bad_output'],
      ['premium', 'success'],
    ]);
    expect(trace.attempts[0]?.message).toContain(
      "answer rejected by schema: answer does not match the schema: / must have required property 'tags'",
    );
    // The rejected answer was billed, so its cost counts.
    expect(trace.attempts[0]?.usage?.completionTokens).toBeGreaterThan(0);
  });

  it("returns what the validators parsed: the call's schema output, before the route's JSON", async () => {
    const { router, mock } = await startFixture({ config: cascadeConfig });
    mock.setReply(CHEAP, '```json\n{"title": "Final", "tags": ["a", "b"]}\n```');
    const Titled = z.object({
      title: z.string().transform((title) => title.toUpperCase()),
      tags: z.array(z.string()),
    });
    const { parsed, trace } = await router.chat(ask('smart'), { validate: [Titled] });
    expect(parsed).toEqual({ title: 'FINAL', tags: ['a', 'b'] });
    expect(trace.served?.target).toBe('cheap');
    const routeOnly = await router.chat(ask('smart'));
    expect(routeOnly.parsed).toEqual({ title: 'Final', tags: ['a', 'b'] });
    const stream = await router.stream(ask('smart'), { validate: [Titled] });
    expect(stream.parsed).toEqual({ title: 'FINAL', tags: ['a', 'b'] });
    for await (const _chunk of stream) {
      // read to the end so the attempt settles
    }
    const unvalidated = await router.chat(ask('cheap'));
    expect(unvalidated.parsed).toBeUndefined();
  });

  it('does not escalate when the cheap answer passes', async () => {
    const { router, mock } = await startFixture({ config: cascadeConfig });
    mock.setReply(CHEAP, '{"title": "Draft", "tags": []}');
    const { trace } = await router.chat(ask('smart'));
    expect(trace.escalated).toBe(false);
    expect(trace.served?.target).toBe('cheap');
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP]);
  });

  it('takes a zod schema per call and fails with bad_output when no answer passes', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        ...cascadeConfig(),
        routes: { smart: { strategy: 'cascade' as const, targets: ['cheap', 'premium'] } },
      }),
    });
    mock.setReply(CHEAP, 'Sure! {"score": 5}');
    mock.setReply(PREMIUM, '{"score": -1}');
    const error = await rejectionOf(
      router.chat(ask('smart'), { validate: [z.object({ score: z.number().min(0) })] }),
    );
    expect(error).toMatchObject({ code: 'bad_output', status: 502 });
    expect(mock.requests).toHaveLength(2);
  });

  it('falls through on a refusal in a fallback route with validate.refusal', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        ...cascadeConfig(),
        routes: {
          safe: { strategy: 'fallback' as const, targets: ['cheap', 'premium'], validate: { refusal: true } },
        },
      }),
    });
    mock.setReply(CHEAP, "I'm sorry, but I can't help with that.");
    const { trace } = await router.chat(ask('safe'));
    expect(trace.served?.target).toBe('premium');
    expect(trace.attempts[0]?.outcome).toBe('bad_output');
  });
});

import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.js';
import { validateConfig } from '../config/validate-config.js';
import { ConfigError } from '../errors/config-error.js';
import type { RouteTarget, Target } from '../routing/target.js';
import { assembleCompletion } from '../stream/assemble-completion.js';
import type { ChatResponse } from '../types/chat.js';
import { answerCacheKey } from './answer-cache-key.js';
import { cacheModeFromHeader } from './cache-mode.js';
import { createCachePolicies } from './cache-policy.js';
import { canonicalJson } from './canonical-json.js';
import { createMemoryAnswerCache } from './memory-answer-cache.js';
import { replayChunks } from './replay-chunks.js';

const request = {
  model: 'default',
  messages: [{ role: 'user', content: 'Hello' }],
  temperature: 0,
};

describe('answerCacheKey', () => {
  it('is a SHA-256 of what determines the answer, whatever the key order', () => {
    const key = answerCacheKey({ operation: 'chat', scope: 'key:team-a', request });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { temperature: 0, messages: [{ content: 'Hello', role: 'user' }], model: 'default' };
    expect(answerCacheKey({ operation: 'chat', scope: 'key:team-a', request: reordered })).toBe(key);
    const delivered = { ...request, stream: true, stream_options: { include_usage: true }, user: 'u1' };
    expect(answerCacheKey({ operation: 'chat', scope: 'key:team-a', request: delivered })).toBe(key);
    expect(
      answerCacheKey({ operation: 'chat', scope: 'key:team-a', request: { ...request, extra: undefined } }),
    ).toBe(key);
  });

  it('differs by operation, scope, model, messages, tools, response_format and sampling', () => {
    const base = answerCacheKey({ operation: 'chat', scope: 'key:team-a', request });
    const variants = [
      answerCacheKey({ operation: 'embeddings', scope: 'key:team-a', request }),
      answerCacheKey({ operation: 'chat', scope: 'key:team-b', request }),
      answerCacheKey({ operation: 'chat', scope: 'global', request }),
      ...[
        { model: 'smart' },
        { models: ['a', 'b'] },
        { messages: [{ role: 'user', content: 'Hello!' }] },
        { tools: [{ type: 'function', function: { name: 'f' } }] },
        { response_format: { type: 'json_object' } },
        { temperature: 0.2 },
        { top_p: 0.9 },
        { seed: 7 },
        { max_tokens: 10 },
        { some_future_parameter: true },
      ].map((change) =>
        answerCacheKey({ operation: 'chat', scope: 'key:team-a', request: { ...request, ...change } }),
      ),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('never holds the scope or the prompt in clear', () => {
    const key = answerCacheKey({
      operation: 'chat',
      scope: 'key:sk-live-secret',
      request: { ...request, messages: [{ role: 'user', content: 'my password is hunter2' }] },
    });
    expect(key).not.toContain('secret');
    expect(key).not.toContain('hunter2');
  });

  it('serialises canonically: sorted keys at every depth, array order kept, undefined dropped', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, null, 'x'])).toBe('[null,null,"x"]');
  });
});

describe('cacheModeFromHeader', () => {
  it.each([
    [undefined, 'default'],
    ['max-age=60', 'default'],
    ['no-cache', 'refresh'],
    ['max-age=0', 'refresh'],
    ['No-Store', 'bypass'],
    ['no-cache, no-store', 'bypass'],
    [['no-cache'], 'refresh'],
  ] as const)('%s → %s', (header, mode) => {
    expect(cacheModeFromHeader(header)).toBe(mode);
  });
});

describe('createMemoryAnswerCache', () => {
  it('expires entries on the injected clock', () => {
    const clock = createFakeClock();
    const cache = createMemoryAnswerCache({ maxBytes: 10_000, clock });
    cache.set('a', 'answer', 1000);
    clock.advance(999);
    expect(cache.get('a')).toBe('answer');
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.entries).toBe(0);
  });

  it('stays within maxBytes under 10,000 distinct answers, keeping the most recent', () => {
    const maxBytes = 256 * 1024;
    const cache = createMemoryAnswerCache({ maxBytes });
    const answer = (index: number): string =>
      JSON.stringify({ index, content: `Answer number ${index}: ${'lorem ipsum '.repeat(8)}` });
    let stored = 0;
    for (let index = 0; index < 10_000; index += 1) {
      const key = answerCacheKey({ operation: 'chat', scope: 'global', request: { ...request, index } });
      const value = answer(index);
      stored += Buffer.byteLength(value) + key.length;
      cache.set(key, value, 60_000);
      expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    }
    // Far more was stored than fits: the oldest were evicted, what is held is counted honestly.
    expect(stored).toBeGreaterThan(maxBytes * 4);
    expect(cache.entries).toBeLessThan(10_000);
    expect(cache.bytes).toBeGreaterThan(maxBytes * 0.9);
    const key = (index: number) =>
      answerCacheKey({ operation: 'chat', scope: 'global', request: { ...request, index } });
    expect(cache.get(key(9_999))).toBe(answer(9_999));
    expect(cache.get(key(0))).toBeUndefined();
  });

  it('does not keep an entry larger than maxEntryBytes', () => {
    const cache = createMemoryAnswerCache({ maxBytes: 10_000, maxEntryBytes: 100 });
    cache.set('big', 'x'.repeat(200), 1000);
    cache.set('small', 'x', 1000);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('small')).toBe('x');
  });
});

describe('replayChunks', () => {
  const oracle = createSpecOracle();
  const answer: ChatResponse = {
    id: 'gen-1',
    object: 'chat.completion',
    created: 1_763_157_299,
    model: 'openai/gpt-4o-mini',
    provider: 'OpenAI',
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        logprobs: null,
        message: {
          role: 'assistant',
          content: 'Let me look that up for you, it will only take a moment of your time.',
          refusal: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'search', arguments: '{"query":"the weather in Paris today, and tomorrow"}' },
            },
          ],
        },
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42, cost: 0 },
  };

  it('turns an answer into valid stream chunks that add up to it', () => {
    const chunks = replayChunks(answer);
    for (const chunk of chunks) {
      const { valid, errors } = oracle.validate('ChatStreamChunk', chunk);
      expect(valid, String(errors)).toBe(true);
    }
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta?.content).length).toBeGreaterThan(1);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: answer.usage });
    const assembled = assembleCompletion(chunks);
    expect(assembled.choices[0]?.message).toEqual(answer.choices[0]?.message);
    expect(assembled.choices[0]?.finish_reason).toBe('tool_calls');
    expect(assembled).toMatchObject({ id: 'gen-1', model: answer.model, provider: 'OpenAI' });
  });

  it('replays a refusal', () => {
    const refusal: ChatResponse = {
      ...answer,
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          logprobs: null,
          message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
        },
      ],
    };
    const chunks = replayChunks(refusal);
    for (const chunk of chunks) expect(oracle.validate('ChatStreamChunk', chunk).valid).toBe(true);
    expect(assembleCompletion(chunks).choices[0]?.message.refusal).toBe('I cannot help with that.');
  });
});

describe('cache configuration', () => {
  const providers = { p: { baseURL: 'http://127.0.0.1:9/api/v1' } };
  const route = (name: string, extra: object = {}): RouteTarget =>
    ({
      kind: 'route',
      name,
      strategy: 'fallback',
      entries: [],
      validators: [],
      hedgeAfterMs: 0,
      ...extra,
    }) as RouteTarget;
  const model = { kind: 'model', name: 'm' } as Target;

  it('resolves the top-level default, a route’s own settings field by field, and false', () => {
    const policies = createCachePolicies(
      validateConfig({
        providers,
        cache: { ttlSeconds: 120, scope: 'global' },
        routes: {
          plain: { strategy: 'fallback', targets: ['p/a'] },
          faq: { strategy: 'fallback', targets: ['p/a'], cache: { ttlSeconds: 3600 } },
          live: { strategy: 'fallback', targets: ['p/a'], cache: false },
        },
      }),
    );
    expect(policies.empty).toBe(false);
    expect(policies.of(route('plain'))).toMatchObject({ ttlMs: 120_000, scope: 'global' });
    expect(policies.of(route('faq'))).toMatchObject({
      ttlMs: 3_600_000,
      scope: 'global',
      nondeterministic: false,
    });
    expect(policies.of(route('live'))).toBeUndefined();
    expect(policies.of(model)).toMatchObject({ ttlMs: 120_000 });
  });

  it('is off when omitted, and on for a route that sets its own', () => {
    const off = createCachePolicies(
      validateConfig({ providers, routes: { r: { strategy: 'fallback', targets: ['p/a'] } } }),
    );
    expect(off.empty).toBe(true);
    const one = createCachePolicies(
      validateConfig({ providers, routes: { r: { strategy: 'fallback', targets: ['p/a'], cache: {} } } }),
    );
    expect(one.of(route('r'))).toEqual({
      ttlMs: 300_000,
      scope: 'key',
      nondeterministic: false,
      countHitsInLimits: false,
      maxEntryBytes: 1_048_576,
    });
    expect(one.of(model)).toBeUndefined();
  });

  it('names every invalid field', () => {
    let error: unknown;
    try {
      validateConfig({
        providers,
        cache: { ttlSeconds: 0, maxBytes: 100, maxEntryBytes: 200 },
        routes: {
          a: { strategy: 'fallback', targets: ['p/a'], cache: { scope: 'user' } },
          b: { strategy: 'fallback', targets: ['p/a'], cache: { maxBytes: 5 } },
          c: { strategy: 'fallback', targets: ['p/a'], cache: 'yes' },
        },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual(
      expect.arrayContaining([
        { path: 'cache.ttlSeconds', message: expect.stringContaining('>0') },
        { path: 'cache.maxEntryBytes', message: 'must not be larger than maxBytes' },
        {
          path: 'routes.a.cache',
          message: expect.stringContaining('must be false or { ttlSeconds, scope: "key" | "global"'),
        },
        { path: 'routes.b.cache', message: 'unknown key "maxBytes"' },
        { path: 'routes.c.cache', message: expect.stringContaining('must be false or') },
      ]),
    );
  });
});

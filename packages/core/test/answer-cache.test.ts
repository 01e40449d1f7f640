import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { createMemoryAnswerCache } from '../src/cache/memory-answer-cache.js';
import type { SwitchyardConfig } from '../src/config/config-types.js';
import type { RoutingError } from '../src/errors/routing-error.js';
import { formatUsd, parseUsd } from '../src/pricing/money.js';
import { summarizeSpend } from '../src/spend/spend-ledger.js';
import { summarizeSpendBy } from '../src/spend/summarize-spend-by.js';
import type { RoutingTrace } from '../src/trace/routing-trace.js';
import type { ChatChunk } from '../src/types/chat.js';
import { jsonValidator } from '../src/validators/built-in-validators.js';
import { createFakeClock } from './support/fake-clock.js';
import { ask, rejectionOf, startFixture } from './support/fixture.js';

const CHEAP = 'meta-llama/llama-3.3-70b-instruct';
const PREMIUM = 'anthropic/claude-sonnet-4.6';

const models = {
  cheap: { provider: 'mock', model: CHEAP, pricing: { prompt: '0.0000001', completion: '0.00000032' } },
  premium: { provider: 'mock', model: PREMIUM, pricing: { prompt: '0.000003', completion: '0.000015' } },
};

/** A cached `default` route (fallback premium → cheap) and an uncached `live` one, on the mock. */
const cachedConfig =
  (extra: Partial<SwitchyardConfig> = {}) =>
  () => ({
    models,
    routes: {
      default: { strategy: 'fallback' as const, targets: ['premium', 'cheap'] },
      live: { strategy: 'fallback' as const, targets: ['cheap'], cache: false as const },
      smart: { strategy: 'cascade' as const, targets: ['cheap', 'premium'], validate: { json: true } },
    },
    cache: { ttlSeconds: 60 },
    retry: { maxAttempts: 1 },
    ...extra,
  });

async function drain(stream: AsyncIterable<ChatChunk>): Promise<{ chunks: ChatChunk[]; text: string }> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { chunks, text: chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('') };
}

describe('the answer cache through router.chat', () => {
  it('answers the second identical request from the cache: one upstream call, cost 0, the saving in the trace', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    const first = await router.chat(ask('default', 'What is the capital of France?'));
    const second = await router.chat(ask('default', 'What is the capital of France?'));

    expect(mock.requests).toHaveLength(1);
    expect(first.trace.cache).toBe('miss');
    expect(second.trace.cache).toBe('hit');
    expect(second.response.choices).toEqual(first.response.choices);
    expect(second.response.id).toBe(first.response.id);
    expect(Number(first.trace.costUsd)).toBeGreaterThan(0);
    expect(second.response.usage?.cost).toBe(0);
    expect(second.response.usage?.prompt_tokens).toBe(first.response.usage?.prompt_tokens);
    expect(second.trace).toMatchObject({
      costUsd: '0',
      feeUsd: '0',
      savedUsd: first.trace.costUsd,
      attempts: [],
      promptTokens: 0,
      route: 'default',
      served: first.trace.served,
    });
    // Another question, or the same one on an uncached route, goes upstream.
    const other = await router.chat(ask('default', 'And of Spain?'));
    expect(other.trace.cache).toBe('miss');
    const live = await router.chat(ask('live', 'What is the capital of France?'));
    expect(live.trace.cache).toBeUndefined();
    await router.chat(ask('live', 'What is the capital of France?'));
    expect(mock.requests).toHaveLength(4);
  });

  it('keys on what determines the answer, not on field order, the user or streaming', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Name a colour.' },
    ];
    await router.chat({ model: 'default', messages, max_tokens: 20, temperature: 0 });
    const reordered = await router.chat({
      temperature: 0,
      max_tokens: 20,
      user: 'someone-else',
      messages: messages.map((message) => ({ content: message.content, role: message.role })),
      model: 'default',
    });
    expect(reordered.trace.cache).toBe('hit');
    expect(mock.requests).toHaveLength(1);
    for (const changed of [
      { model: 'premium', messages, max_tokens: 20, temperature: 0 },
      { model: 'default', messages, max_tokens: 21, temperature: 0 },
      { model: 'default', messages: messages.slice(1), max_tokens: 20, temperature: 0 },
      {
        model: 'default',
        messages,
        max_tokens: 20,
        temperature: 0,
        response_format: { type: 'json_object' },
      },
      {
        model: 'default',
        messages,
        max_tokens: 20,
        temperature: 0,
        tools: [{ type: 'function', function: { name: 'paint', parameters: { type: 'object' } } }],
      },
    ]) {
      const result = await router.chat(changed as never);
      expect(result.trace.cache).toBe('miss');
    }
    expect(mock.requests).toHaveLength(6);
  });

  it("keeps each key's answers apart, and shares them with scope: global", async () => {
    const { router, mock } = await startFixture({
      config: cachedConfig({
        routes: {
          default: { strategy: 'fallback', targets: ['cheap'] },
          shared: { strategy: 'fallback', targets: ['cheap'], cache: { scope: 'global' } },
        },
      }),
    });
    const request = ask('default', 'Tell me a secret of team A.');
    await router.chat(request, { caller: { key: 'team-a' } });
    const otherKey = await router.chat(request, { caller: { key: 'team-b' } });
    expect(otherKey.trace.cache).toBe('miss');
    const sameKey = await router.chat(request, { caller: { key: 'team-a', user: 'another-user' } });
    expect(sameKey.trace.cache).toBe('hit');
    expect(mock.requests).toHaveLength(2);

    const shared = ask('shared', 'A question for everyone.');
    await router.chat(shared, { caller: { key: 'team-a' } });
    const fromB = await router.chat(shared, { caller: { key: 'team-b' } });
    expect(fromB.trace.cache).toBe('hit');
    expect(mock.requests).toHaveLength(3);
  });

  it('expires an answer after ttlSeconds on the injected clock, a route’s TTL winning', async () => {
    const clock = createFakeClock();
    const { router, mock } = await startFixture({
      config: cachedConfig({
        routes: {
          default: { strategy: 'fallback', targets: ['cheap'] },
          faq: { strategy: 'fallback', targets: ['cheap'], cache: { ttlSeconds: 3600 } },
        },
      }),
      router: { clock },
    });
    await router.chat(ask('default', 'Short-lived'));
    await router.chat(ask('faq', 'Long-lived'));
    clock.advance(59_999);
    expect((await router.chat(ask('default', 'Short-lived'))).trace.cache).toBe('hit');
    clock.advance(1);
    expect((await router.chat(ask('default', 'Short-lived'))).trace.cache).toBe('miss');
    expect((await router.chat(ask('faq', 'Long-lived'))).trace.cache).toBe('hit');
    clock.advance(3_600_000);
    expect((await router.chat(ask('faq', 'Long-lived'))).trace.cache).toBe('miss');
    expect(mock.requests).toHaveLength(4);
  });

  it('never stores a failure: the next identical request goes upstream again', async () => {
    const { router, mock } = await startFixture({
      config: cachedConfig({ routes: { default: { strategy: 'fallback', targets: ['cheap'] } } }),
    });
    mock.script(CHEAP, [{ kind: 'error', status: 503 }, { kind: 'error-200' }]);
    const request = ask('default', 'Fail first.');
    const failed = (await rejectionOf(router.chat(request))) as unknown as RoutingError;
    expect(failed.code).toBe('upstream_unavailable');
    expect(failed.trace.cache).toBe('miss');
    expect(await rejectionOf(router.chat(request))).toMatchObject({ code: 'upstream_unavailable' });
    const served = await router.chat(request);
    expect(served.trace.cache).toBe('miss');
    expect((await router.chat(request)).trace.cache).toBe('hit');
    expect(mock.requests).toHaveLength(3);
  });

  it('never stores an answer a validator rejected: a cascade stores the answer that passed', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    mock.setReply(CHEAP, 'Sure! Here is your title: Report');
    mock.setReply(PREMIUM, '{"title":"Report"}');
    const first = await router.chat(ask('smart', 'A JSON title, please.'));
    expect(first.trace.escalated).toBe(true);
    const second = await router.chat(ask('smart', 'A JSON title, please.'));
    expect(second.trace.cache).toBe('hit');
    expect(second.response.choices[0]?.message.content).toBe('{"title":"Report"}');
    expect(second.parsed).toEqual({ title: 'Report' });
    expect(second.trace.savedUsd).toBe(first.trace.attempts[1]?.costUsd);
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP, PREMIUM]);

    // With nothing that passes, nothing is stored.
    mock.setReply(PREMIUM, 'Not JSON either.');
    const rejected = ask('smart', 'Another JSON title.');
    expect(await rejectionOf(router.chat(rejected))).toMatchObject({ code: 'bad_output' });
    expect(await rejectionOf(router.chat(rejected))).toMatchObject({ code: 'bad_output' });
    expect(mock.requests).toHaveLength(6);
  });

  it('does not serve a hit that the call’s own validator rejects: it routes and stores the new answer', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    mock.setReply(PREMIUM, 'plain words');
    await router.chat(ask('default', 'Anything.'));
    mock.setReply(PREMIUM, '{"ok":true}');
    const validated = await router.chat(ask('default', 'Anything.'), { validate: [jsonValidator()] });
    expect(validated.trace.cache).toBe('miss');
    expect(validated.parsed).toEqual({ ok: true });
    const again = await router.chat(ask('default', 'Anything.'), { validate: [jsonValidator()] });
    expect(again.trace.cache).toBe('hit');
    expect(again.parsed).toEqual({ ok: true });
    expect(mock.requests).toHaveLength(2);
  });

  it('caches temperature > 0 and n > 1 only where the route says nondeterministic: true', async () => {
    const { router, mock } = await startFixture({
      config: cachedConfig({
        routes: {
          default: { strategy: 'fallback', targets: ['cheap'] },
          creative: { strategy: 'fallback', targets: ['cheap'], cache: { nondeterministic: true } },
        },
      }),
    });
    for (const extra of [{ temperature: 0.7 }, { n: 2 }]) {
      const request = ask('default', 'Write a poem.', extra);
      expect((await router.chat(request)).trace.cache).toBe('bypass');
      expect((await router.chat(request)).trace.cache).toBe('bypass');
    }
    expect(mock.requests).toHaveLength(4);
    const creative = ask('creative', 'Write a poem.', { temperature: 0.7 });
    await router.chat(creative);
    expect((await router.chat(creative)).trace.cache).toBe('hit');
    expect(mock.requests).toHaveLength(5);
  });

  it('refreshes with cache: refresh (no lookup, stores) and leaves the cache alone with cache: bypass', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    const request = ask('default', 'What time is it?');
    mock.setReply(PREMIUM, 'First answer.');
    await router.chat(request);
    mock.setReply(PREMIUM, 'Second answer.');
    const bypassed = await router.chat(request, { cache: 'bypass' });
    expect(bypassed.trace.cache).toBe('bypass');
    expect(bypassed.response.choices[0]?.message.content).toBe('Second answer.');
    expect((await router.chat(request)).response.choices[0]?.message.content).toBe('First answer.');
    mock.setReply(PREMIUM, 'Third answer.');
    const refreshed = await router.chat(request, { cache: 'refresh' });
    expect(refreshed.trace.cache).toBe('miss');
    expect(refreshed.response.choices[0]?.message.content).toBe('Third answer.');
    const after = await router.chat(request);
    expect(after.trace.cache).toBe('hit');
    expect(after.response.choices[0]?.message.content).toBe('Third answer.');
    expect(mock.requests).toHaveLength(3);
  });

  it('writes a cache_hit ledger entry per hit, cost 0 and savedUsd the original cost, summed per key and route', async () => {
    const { router } = await startFixture({ config: cachedConfig() });
    const request = ask('default', 'Summarise the quarter.');
    const first = await router.chat(request, { caller: { key: 'team-a', tags: ['reports'] } });
    const hits = [
      await router.chat(request, { caller: { key: 'team-a', tags: ['reports'] } }),
      await router.chat(request, { caller: { key: 'team-a', tags: ['reports'] } }),
    ];
    await router.chat(ask('default', 'Something else.'), { caller: { key: 'team-b' } });
    const entries = await router.ledger.query({ outcome: 'cache_hit' });
    expect(entries).toHaveLength(2);
    for (const [index, entry] of entries.entries()) {
      expect(entry).toMatchObject({
        requestId: hits[index]?.trace.id,
        attempt: 0,
        key: 'team-a',
        tags: ['reports'],
        route: 'default',
        target: 'premium',
        provider: 'mock',
        model: PREMIUM,
        servedModel: PREMIUM,
        outcome: 'cache_hit',
        promptTokens: 0,
        completionTokens: 0,
        tokenCostUsd: '0',
        feeUsd: '0',
        costUsd: '0',
        savedUsd: first.trace.costUsd,
      });
    }
    const all = await router.ledger.query();
    const twice = formatUsd(parseUsd(first.trace.costUsd) * 2n);
    expect(summarizeSpend(all)).toMatchObject({ attempts: 2, cacheHits: 2, savedUsd: twice });
    const byKey = summarizeSpendBy(all, 'key');
    expect(
      byKey.map(({ group, summary }) => [group, summary.attempts, summary.cacheHits, summary.savedUsd]),
    ).toEqual([
      ['team-a', 1, 2, twice],
      ['team-b', 1, 0, '0'],
    ]);
    expect(summarizeSpendBy(all, 'model')).toMatchObject([
      {
        group: PREMIUM,
        summary: {
          cacheHits: 2,
          savedUsd: twice,
          costUsd: formatUsd(parseUsd(first.trace.costUsd) + parseUsd(all[3]?.costUsd ?? '0')),
        },
      },
    ]);
  });

  it('takes no rate limit for a hit unless countHitsInLimits', async () => {
    const limited = (countHitsInLimits: boolean) =>
      cachedConfig({
        routes: { default: { strategy: 'fallback', targets: ['cheap'], cache: { countHitsInLimits } } },
        limits: [{ scope: 'key', rpm: 1 }],
      });
    const { router, mock } = await startFixture({ config: limited(false) });
    const request = ask('default', 'Hello there.', { max_tokens: 100 });
    await router.chat(request, { caller: { key: 'team-a' } });
    const hits = await Promise.all(
      Array.from({ length: 5 }, () => router.chat(request, { caller: { key: 'team-a' } })),
    );
    for (const hit of hits) expect(hit.trace.cache).toBe('hit');
    // Anything that does need the upstream is over the limit (1 a minute) for this key.
    expect(
      await rejectionOf(router.chat(ask('default', 'New question.'), { caller: { key: 'team-a' } })),
    ).toMatchObject({ code: 'rate_limited' });
    expect(mock.requests).toHaveLength(1);

    const counted = await startFixture({ config: limited(true) });
    await counted.router.chat(request, { caller: { key: 'team-a' } });
    const refused = (await rejectionOf(
      counted.router.chat(request, { caller: { key: 'team-a' } }),
    )) as unknown as RoutingError;
    expect(refused.code).toBe('rate_limited');
    expect(refused.trace.cache).toBe('miss');
    expect(counted.mock.requests).toHaveLength(1);
  });

  it('does not charge budgets on a hit: a spent budget still gets its cached answers', async () => {
    const { router, mock } = await startFixture({
      config: cachedConfig({
        routes: { default: { strategy: 'fallback', targets: ['premium'] } },
        budgets: [{ scope: 'key', usd: '0.0004', period: 'day' }],
      }),
    });
    const request = ask('default', 'Hello budget.', { max_tokens: 20 });
    const first = await router.chat(request, { caller: { key: 'team-a' } });
    expect(Number(first.trace.costUsd)).toBeGreaterThan(0.0001);
    // What is left of the budget is below the next worst case: only the cache can answer.
    expect(
      await rejectionOf(
        router.chat(ask('default', 'Other.', { max_tokens: 20 }), { caller: { key: 'team-a' } }),
      ),
    ).toMatchObject({
      code: 'budget_exceeded',
    });
    for (let index = 0; index < 3; index += 1) {
      const hit = await router.chat(request, { caller: { key: 'team-a' } });
      expect(hit.trace).toMatchObject({ cache: 'hit', costUsd: '0' });
    }
    expect(mock.requests).toHaveLength(1);
  });

  it('tells onResult about hits, and does not store answers above maxEntryBytes', async () => {
    const results: RoutingTrace[] = [];
    const { router, mock } = await startFixture({
      config: cachedConfig({
        routes: {
          default: { strategy: 'fallback', targets: ['cheap'] },
          tiny: { strategy: 'fallback', targets: ['cheap'], cache: { maxEntryBytes: 100 } },
        },
      }),
      router: { hooks: { onResult: (trace) => results.push(trace) } },
    });
    await router.chat(ask('default', 'Hi'));
    await router.chat(ask('default', 'Hi'));
    expect(results.map((trace) => trace.cache)).toEqual(['miss', 'hit']);
    await router.chat(ask('tiny', 'Hi'));
    expect((await router.chat(ask('tiny', 'Hi'))).trace.cache).toBe('miss');
    expect(mock.requests).toHaveLength(3);
  });

  it('uses the cache passed to createRouter, bounded by its bytes', async () => {
    const cache = createMemoryAnswerCache({ maxBytes: 64 * 1024 });
    const { router } = await startFixture({ config: cachedConfig(), router: { cache } });
    await router.chat(ask('default', 'Hello'));
    expect(cache.entries).toBe(1);
    expect(cache.bytes).toBeGreaterThan(0);
  });
});

describe('the answer cache through router.stream', () => {
  const oracle = createSpecOracle();

  it('replays a hit as a valid SSE stream: role, content, finish, usage; one upstream call', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    mock.setReply(PREMIUM, 'Paris is the capital of France, and it has been for a very long time indeed.');
    const live = await router.stream(ask('default', 'Capital of France?'));
    const first = await drain(live);
    expect(live.trace.cache).toBe('miss');

    const replay = await router.stream(ask('default', 'Capital of France?'));
    expect(replay.trace.cache).toBe('hit');
    const second = await drain(replay);
    expect(mock.requests).toHaveLength(1);
    expect(second.text).toBe(first.text);
    for (const chunk of second.chunks) {
      const { valid, errors } = oracle.validate('ChatStreamChunk', chunk);
      expect(valid, String(errors)).toBe(true);
    }
    const [role, ...rest] = second.chunks;
    expect(role?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const contentChunks = rest.filter((chunk) => chunk.choices[0]?.delta?.content);
    expect(contentChunks.length).toBeGreaterThan(1);
    const finish = second.chunks.at(-2);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    const usage = second.chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage?.cost).toBe(0);
    expect(usage?.usage?.completion_tokens).toBe(first.chunks.at(-1)?.usage?.completion_tokens);
    expect(replay.trace).toMatchObject({ costUsd: '0', savedUsd: live.trace.costUsd, attempts: [] });
    const [entry] = await router.ledger.query({ outcome: 'cache_hit' });
    expect(entry?.savedUsd).toBe(live.trace.costUsd);
  });

  it('serves one cached answer to chat and stream alike, tool calls included', async () => {
    const { router, mock } = await startFixture({ config: cachedConfig() });
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const whole = await router.chat(ask('default', 'Weather in Paris?', { tools }));
    const call = whole.response.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    const replay = await router.stream(ask('default', 'Weather in Paris?', { tools }));
    const { chunks } = await drain(replay);
    for (const chunk of chunks) expect(oracle.validate('ChatStreamChunk', chunk).valid).toBe(true);
    const streamed = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []);
    expect(streamed[0]).toMatchObject({ index: 0, id: call?.id, function: { name: 'get_weather' } });
    expect(streamed.map((piece) => piece.function?.arguments ?? '').join('')).toBe(
      call?.type === 'function' ? call.function.arguments : '',
    );
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');

    // A streamed miss fills the cache for a whole request too.
    await drain(await router.stream(ask('default', 'Stream first.')));
    const fromStream = await router.chat(ask('default', 'Stream first.'));
    expect(fromStream.trace.cache).toBe('hit');
    expect(fromStream.response.choices[0]?.message.content).toContain('Stream first.');
    expect(mock.requests).toHaveLength(2);
  });

  it('never stores a stream that broke off or that the consumer left', async () => {
    const { router, mock } = await startFixture({
      config: cachedConfig({ routes: { default: { strategy: 'fallback', targets: ['cheap'] } } }),
    });
    mock.setReply(CHEAP, 'One two three four five six seven eight nine ten.');
    mock.script(CHEAP, [
      { kind: 'reset', afterChunks: 3 },
      { kind: 'mid-stream-error', afterChunks: 2 },
    ]);
    const request = ask('default', 'Count to ten.');
    for (let index = 0; index < 2; index += 1) {
      const broken = await router.stream(request);
      expect(await rejectionOf(drain(broken))).toMatchObject({ code: 'stream_interrupted' });
    }
    const left = await router.stream(request);
    for await (const _chunk of left) break;
    const whole = await router.stream(request);
    expect(whole.trace.cache).toBe('miss');
    await drain(whole);
    expect((await router.stream(request)).trace.cache).toBe('hit');
    expect(mock.requests).toHaveLength(4);
  });
});

describe('provider prompt caching', () => {
  it('passes cache_control blocks upstream unchanged and prices cache writes at input_cache_write', async () => {
    const { router, mock } = await startFixture({
      config: () => ({
        models: {
          sonnet: {
            provider: 'mock',
            model: PREMIUM,
            pricing: {
              prompt: '0.000003',
              completion: '0.000015',
              input_cache_read: '0.0000003',
              input_cache_write: '0.00000375',
            },
          },
        },
      }),
    });
    const messages = [
      {
        role: 'system',
        content: [
          {
            type: 'text',
            text: 'A long system prompt worth caching. '.repeat(30),
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
      { role: 'user', content: 'Hello.' },
    ];
    mock.script(PREMIUM, [
      { kind: 'success', usage: { prompt_tokens: 1000, completion_tokens: 100, cache_write_tokens: 800 } },
      { kind: 'success', usage: { prompt_tokens: 1000, completion_tokens: 100, cached_tokens: 800 } },
    ]);
    const written = await router.chat({ model: 'sonnet', messages } as never);
    const read = await router.chat({ model: 'sonnet', messages } as never);
    expect((mock.requests[0]?.body as { messages?: unknown } | undefined)?.messages).toEqual(messages);
    // 200 prompt tokens at $3/M, 800 written at $3.75/M, 100 completion at $15/M.
    expect(written.trace.attempts[0]).toMatchObject({
      costUsd: '0.0051',
      reportedCostUsd: '0.0051',
      costMismatch: false,
    });
    // 200 at $3/M, 800 read at $0.30/M, 100 at $15/M.
    expect(read.trace.attempts[0]).toMatchObject({
      costUsd: '0.00234',
      reportedCostUsd: '0.00234',
      costMismatch: false,
    });
  });
});

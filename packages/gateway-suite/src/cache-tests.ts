import { expect, it } from 'vitest';
import { GATEWAY_KEYS, MODELS } from './suite-config.js';
import { ask, expectValid, openAIClient, type SuiteContext, send } from './suite-context.js';

const CHAT = '/chat/completions';

/** The `data:` payloads of an SSE body, `[DONE]` included. */
const events = (body: string): string[] =>
  body
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));

/** The answer cache as a client sees it: the `faq` route caches, the others do not. */
export function defineCacheTests(context: SuiteContext): void {
  it('answers a repeated request from the cache: one upstream call, usage.cost and x-switchyard-cost 0', async () => {
    const client = openAIClient(context);
    const question = ask('faq', 'What are your opening hours?');
    const miss = await client.chat.completions.create(question).withResponse();
    const hit = await client.chat.completions.create(question).withResponse();

    expect(context.mock.requests).toHaveLength(1);
    expect(miss.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(hit.response.headers.get('x-switchyard-cache')).toBe('hit');
    expectValid(context, 'ChatResult', hit.data);
    expect(hit.data.choices).toEqual(miss.data.choices);
    const missCost = (miss.data.usage as { cost?: number } | undefined)?.cost;
    expect(missCost).toBeGreaterThan(0);
    expect((hit.data.usage as { cost?: number } | undefined)?.cost).toBe(0);
    expect(hit.response.headers.get('x-switchyard-cost')).toBe('0');
    expect(hit.response.headers.get('x-switchyard-attempts')).toBe('0');
    expect(hit.response.headers.get('x-switchyard-model')).toBe(MODELS.fast);
    expect(hit.response.headers.get('x-switchyard-provider')).toBe('beta');
    const requestId = hit.response.headers.get('x-switchyard-request-id') as string;
    await expect
      .poll(() => context.gateway.logs.find((line) => line.includes(requestId)))
      .toMatch(/"cache":"hit"/);
    // An uncached route says nothing about the cache.
    const plain = await client.chat.completions.create(ask('default', 'No cache here.')).withResponse();
    expect(plain.response.headers.get('x-switchyard-cache')).toBeNull();
  });

  it('replays a hit as an SSE stream of valid ChatStreamChunks ending in [DONE], the usage chunk at cost 0', async () => {
    const question = { ...ask('faq', 'Which payment methods do you accept?'), stream: true };
    const miss = await send(context, { path: CHAT, body: question });
    expect(miss.headers.get('x-switchyard-cache')).toBe('miss');
    const live = events(await miss.text());
    const hit = await send(context, { path: CHAT, body: question });
    expect(hit.headers.get('content-type')).toContain('text/event-stream');
    expect(hit.headers.get('x-switchyard-cache')).toBe('hit');
    const replayed = events(await hit.text());
    expect(context.mock.requests).toHaveLength(1);

    expect(replayed.at(-1)).toBe('[DONE]');
    const chunks = replayed.slice(0, -1).map((data) => JSON.parse(data));
    for (const chunk of chunks) expectValid(context, 'ChatStreamChunk', chunk);
    const text = (list: Array<{ choices: Array<{ delta?: { content?: string } }> }>) =>
      list.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(text(chunks)).toBe(text(live.slice(0, -1).map((data) => JSON.parse(data))));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { cost: 0 } });

    // The openai SDK reads the replay like any stream.
    const stream = await openAIClient(context).chat.completions.create({
      ...question,
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
    expect(streamed).toBe(text(chunks));
    expect(context.mock.requests).toHaveLength(1);
  });

  it('honours Cache-Control: no-store (bypass) and no-cache (refresh, then stored)', async () => {
    const question = ask('faq', 'What is the status of my order?');
    context.mock.setReply(MODELS.fast, 'Shipped.');
    await send(context, { path: CHAT, body: question });
    context.mock.setReply(MODELS.fast, 'Delivered.');
    const bypass = await send(context, {
      path: CHAT,
      body: question,
      headers: { 'cache-control': 'no-store' },
    });
    expect(bypass.headers.get('x-switchyard-cache')).toBe('bypass');
    expect(
      ((await bypass.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
        .content,
    ).toBe('Delivered.');
    const stillOld = await send(context, { path: CHAT, body: question });
    expect(stillOld.headers.get('x-switchyard-cache')).toBe('hit');
    expect(await stillOld.text()).toContain('Shipped.');

    const refreshed = await openAIClient(context)
      .chat.completions.create(question, { headers: { 'cache-control': 'no-cache' } })
      .withResponse();
    expect(refreshed.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(refreshed.data.choices[0]?.message.content).toBe('Delivered.');
    const after = await send(context, { path: CHAT, body: question });
    expect(after.headers.get('x-switchyard-cache')).toBe('hit');
    expect(await after.text()).toContain('Delivered.');
    expect(context.mock.requests).toHaveLength(3);
  });

  it("keeps one key's cached answers from another key", async () => {
    const question = ask('faq', 'What is my account balance?');
    await openAIClient(context).chat.completions.create(question);
    const other = await openAIClient(context, GATEWAY_KEYS.other)
      .chat.completions.create(question)
      .withResponse();
    expect(other.response.headers.get('x-switchyard-cache')).toBe('miss');
    const again = await openAIClient(context, GATEWAY_KEYS.other)
      .chat.completions.create(question)
      .withResponse();
    expect(again.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(context.mock.requests).toHaveLength(2);
  });
}

import { formatUsd, parseUsd } from '@switchyard/core';
import { expect, it } from 'vitest';
import { MODELS } from './suite-config.js';
import { ask, expectValid, openAIClient, type SuiteContext } from './suite-context.js';

const costOf = (usage: unknown): number | undefined => (usage as { cost?: number } | null | undefined)?.cost;

/** Fallback, cascades and cancellation, as a client sees them. */
export function defineRoutingTests(context: SuiteContext): void {
  it('shows a fallback in the x-switchyard-* headers and in usage.cost', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'error', status: 503 }]);
    const { data, response } = await openAIClient(context)
      .chat.completions.create(ask('default', 'Fall back, please.'))
      .withResponse();

    expect(data.choices[0]?.message.content).toContain(`Mock reply from ${MODELS.cheap}`);
    expectValid(context, 'ChatResult', data);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-model')).toBe(MODELS.cheap);
    expect(response.headers.get('x-switchyard-provider')).toBe('alpha');
    expect(costOf(data.usage)).toBe(Number(response.headers.get('x-switchyard-cost')));
  });

  it('falls back in a stream when the first target fails before its first chunk', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'reset' }]);
    const { data: stream, response } = await openAIClient(context)
      .chat.completions.create({ ...ask('default', 'Stream it.'), stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(`Mock reply from ${MODELS.cheap}: you said "Stream it.".`);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-provider')).toBe('alpha');
  });

  it('bills the rejected cheap answer of a cascade: usage.cost = the cost of both attempts', async () => {
    context.mock.setReply(MODELS.cheap, 'Sure! The title is: Quarterly report');
    context.mock.setReply(MODELS.premium, '{"title":"Quarterly report"}');
    const client = openAIClient(context);
    const prompt = 'Give me a JSON title for the report.';

    const { data, response } = await client.chat.completions.create(ask('smart', prompt)).withResponse();
    expect(data.choices[0]?.message.content).toBe('{"title":"Quarterly report"}');
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    const total = response.headers.get('x-switchyard-cost') as string;
    expect(costOf(data.usage)).toBe(Number(total));

    // The same request on each alias alone costs exactly its attempt in the cascade.
    const cheap = await client.chat.completions.create(ask('cheap', prompt)).withResponse();
    const premium = await client.chat.completions.create(ask('premium', prompt)).withResponse();
    const parts = [cheap, premium].map(
      ({ response: each }) => each.headers.get('x-switchyard-cost') as string,
    );
    expect(total).toBe(formatUsd(parseUsd(parts[0] as string) + parseUsd(parts[1] as string)));
    expect(Number(total)).toBeGreaterThan(costOf(premium.data.usage) as number);
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    context.mock.script(MODELS.premium, [{ kind: 'stall', afterChunks: 2 }]);
    const stream = await openAIClient(context).chat.completions.create({
      ...ask('premium', 'Write a long story.'),
      stream: true,
    });
    const started = performance.now();
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta?.content).toMatch(/\S/);
      break; // leaving the loop aborts the HTTP request
    }
    await context.mock.waitForSettled({ timeoutMs: 5_000 });
    const upstream = context.mock.requests.filter((request) => request.model === MODELS.premium);
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.aborted).toBe(true);
    // Well before the gateway's own stall timeout (10 s) would have cut it.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
}

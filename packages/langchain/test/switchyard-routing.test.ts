import type { AIMessageChunk } from '@langchain/core/messages';
import { jsonSchemaValidator, parseUsd, RoutingError, summarizeSpend } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatSwitchyard, type SwitchyardResponseMetadata, switchyardMetadata } from '../src/index.js';
import { CHEAP, PREMIUM, startModel, startRouter } from './support/start-router.js';

// What only Switchyard does inside LangChain: fallback, cascades on schema failures, typed errors,
// cost and routing metadata.

const metadataOf = (message: { response_metadata?: Record<string, unknown> }): SwitchyardResponseMetadata => {
  const metadata = switchyardMetadata(message);
  if (metadata === undefined) throw new Error('no Switchyard metadata on the message');
  return metadata;
};

async function readAll(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk[]> {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );
}

describe('ChatSwitchyard: routing inside LangChain', () => {
  it('falls back inside invoke, and says so in response_metadata', async () => {
    const { model, mock } = await startModel('default');
    mock.script(PREMIUM, [{ kind: 'error', status: 503 }]);
    const answer = await model.invoke('Hello');
    expect(answer.text).toBe(`Mock reply from ${CHEAP}: you said "Hello".`);
    expect(metadataOf(answer)).toMatchObject({
      model_name: CHEAP,
      provider: 'mock',
      target: 'cheap',
      route: 'default',
      strategy: 'fallback',
      attempts: 2,
      fallback: true,
      escalated: false,
    });
    expect(metadataOf(answer).trace.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
      [PREMIUM, 'upstream_unavailable'],
      [CHEAP, 'success'],
    ]);
  });

  it('falls back inside stream before the first chunk', async () => {
    const { model, mock } = await startModel('default');
    mock.script(PREMIUM, [{ kind: 'reset' }]);
    mock.setReply(CHEAP, 'Served by the fallback.');
    const chunks = await readAll(await model.stream('Hello'));
    const whole = chunks.reduce((sum, chunk) => sum.concat(chunk));
    expect(whole.text).toBe('Served by the fallback.');
    expect(metadataOf(whole)).toMatchObject({ model_name: CHEAP, attempts: 2, fallback: true });
    expect(mock.requests.map((request) => request.model)).toEqual([PREMIUM, CHEAP]);
  });

  it('throws a typed RoutingError when the stream breaks after its first chunk, without falling back', async () => {
    const { model, mock } = await startModel('default');
    mock.script(PREMIUM, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const received: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of await model.stream('Tell me a story')) received.push(chunk.text);
      })(),
    );
    expect(received.join('')).not.toBe('');
    expect(RoutingError.isInstance(error)).toBe(true);
    const routingError = error as RoutingError;
    expect(routingError).toMatchObject({ code: 'stream_interrupted', status: 502 });
    expect(routingError.trace.served?.model).toBe(PREMIUM);
    expect(mock.requests.map((request) => request.model)).toEqual([PREMIUM]);
  });

  it('escalates a cascade when the cheap answer fails the zod schema, then parses the premium one', async () => {
    const { model, mock } = await startModel('smart');
    mock.setReply(CHEAP, '{"title": 42, "bullets": "not a list"}');
    const schema = z.object({ title: z.string(), bullets: z.array(z.string()) });
    const { parsed, raw } = await model
      .withStructuredOutput(schema, { name: 'summary', includeRaw: true })
      .invoke('Summarise the meeting.');
    expect(parsed).toEqual({ title: 'example', bullets: [] });
    const metadata = metadataOf(raw);
    expect(metadata).toMatchObject({ model_name: PREMIUM, route: 'smart', escalated: true, attempts: 2 });
    const [cheap, premium] = metadata.trace.attempts;
    expect(cheap).toMatchObject({ model: CHEAP, outcome: 'bad_output' });
    expect(cheap?.message).toMatch(/title/);
    expect(premium).toMatchObject({ model: PREMIUM, outcome: 'success' });
    // The rejected cheap answer was paid for, and is in the cost.
    expect(parseUsd(metadata.cost_usd)).toBe(parseUsd(cheap!.costUsd) + parseUsd(premium!.costUsd));
    expect(parseUsd(cheap!.costUsd)).toBeGreaterThan(0n);
  });

  it('escalates a cascade on a tool call whose arguments fail the schema (function calling)', async () => {
    const { model, mock } = await startModel('smart');
    mock.script(CHEAP, [{ kind: 'success', toolCalls: [{ name: 'extract', arguments: '{"city": 7}' }] }]);
    const result = await model
      .withStructuredOutput(z.object({ city: z.string() }), { method: 'functionCalling' })
      .invoke('Which city?');
    expect(result).toEqual({ city: 'example' });
    expect(mock.requests.map((request) => request.model)).toEqual([CHEAP, PREMIUM]);
  });

  it('escalates a streamed structured answer too: nothing from the rejected model reaches LangChain', async () => {
    const { model, mock } = await startModel('smart');
    mock.setReply(CHEAP, 'Sure! The title is Dune.');
    const titled = model.withConfig({
      validate: [z.object({ title: z.string() })],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'book',
          schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
        },
      },
    });
    const chunks = await readAll(await titled.stream('Title as JSON'));
    const whole = chunks.reduce((sum, chunk) => sum.concat(chunk));
    expect(JSON.parse(whole.text)).toEqual({ title: 'example' });
    expect(chunks.some((chunk) => chunk.text.includes('Dune'))).toBe(false);
    expect(metadataOf(whole)).toMatchObject({ model_name: PREMIUM, escalated: true });
  });

  it('validates a json_schema response_format without an explicit validator (as createAgent sends it)', async () => {
    const { model, mock } = await startModel('smart');
    mock.setReply(CHEAP, '{"answer": 1}');
    const answer = await model.invoke('Answer', {
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          schema: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            properties: { answer: { type: 'string' } },
            required: ['answer'],
          },
        },
      },
    });
    expect(JSON.parse(answer.text)).toEqual({ answer: 'example' });
    expect(metadataOf(answer)).toMatchObject({ model_name: PREMIUM, escalated: true });
  });

  it('fails with a typed error when no target gives a valid answer, and does not retry it', async () => {
    const { router, mock } = await startRouter();
    const model = new ChatSwitchyard({ router, model: 'smart', maxRetries: 3 });
    mock.setReply(CHEAP, 'prose');
    mock.setReply(PREMIUM, 'more prose');
    const error = await rejection(
      model.invoke('JSON please', { validate: [jsonSchemaValidator({ type: 'object' })] }),
    );
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'bad_output', status: 502 });
    expect(mock.requests).toHaveLength(2);
  });

  it('does not retry a 4xx answer even with maxRetries', async () => {
    const { router, mock } = await startRouter();
    const model = new ChatSwitchyard({ router, model: 'default', maxRetries: 3 });
    mock.script(PREMIUM, [{ kind: 'error', status: 400, times: 4 }]);
    const error = await rejection(model.invoke('Hi'));
    expect(RoutingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(mock.requests).toHaveLength(1);

    const unknown = await rejection(
      new ChatSwitchyard({ router, model: 'nope', maxRetries: 3 }).invoke('Hi'),
    );
    expect(unknown).toMatchObject({ name: 'RoutingError', code: 'no_route', status: 404 });
    expect(mock.requests).toHaveLength(1);
  });

  it('does not repeat a routed request by default; with maxRetries it repeats transient failures', async () => {
    const { router, mock } = await startRouter();
    mock.script(PREMIUM, [{ kind: 'error', status: 503, times: 2 }]);
    mock.script(CHEAP, [{ kind: 'error', status: 503, times: 2 }]);
    const error = await rejection(new ChatSwitchyard({ router, model: 'default' }).invoke('Hi'));
    expect(error).toMatchObject({ code: 'upstream_unavailable', status: 502 });
    expect(mock.requests).toHaveLength(2);

    const retrying = new ChatSwitchyard({ router, model: 'default', maxRetries: 1 });
    const answer = await retrying.invoke('Hi');
    expect(answer.response_metadata).toMatchObject({ model_name: PREMIUM, attempts: 1 });
    expect(mock.requests.map((request) => request.model)).toEqual([PREMIUM, CHEAP, PREMIUM, CHEAP, PREMIUM]);
  });

  it('enforces a per-call cost ceiling with a 402 RoutingError before any upstream call', async () => {
    const { model, mock } = await startModel('default');
    const error = await rejection(model.invoke('Hi', { maxCostUsd: '0.0000001' }));
    expect(error).toMatchObject({ code: 'cost_ceiling', status: 402 });
    expect(mock.requests).toHaveLength(0);
  });

  it('prices every call and books it under the caller in the ledger', async () => {
    const { router } = await startRouter();
    const model = new ChatSwitchyard({
      router,
      model: 'default',
      identity: { user: 'ada', tags: ['langchain'] },
    });
    const first = await model.invoke('One');
    const second = await model.invoke('Two', { identity: { user: 'grace' } });
    const entries = await router.ledger.query({ user: 'ada' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ tags: ['langchain'], servedModel: PREMIUM, route: 'default' });
    expect(summarizeSpend(entries).costUsd).toBe(metadataOf(first).cost_usd);
    expect(await router.ledger.query({ user: 'grace' })).toHaveLength(1);
    // 9 prompt tokens at $3/M and the completion at $15/M, exactly.
    const usage = first.usage_metadata!;
    expect(parseUsd(metadataOf(first).cost_usd)).toBe(
      parseUsd('0.000003') * BigInt(usage.input_tokens) + parseUsd('0.000015') * BigInt(usage.output_tokens),
    );
    expect(metadataOf(second).request_id).not.toBe(metadataOf(first).request_id);
  });

  it('puts the cost of a streamed call on its last chunk, failed attempts included', async () => {
    const { model, mock } = await startModel('default');
    mock.script(PREMIUM, [{ kind: 'error', status: 429 }]);
    const chunks = await readAll(await model.stream('Hi'));
    const last = metadataOf(chunks.at(-1)!);
    expect(last).toMatchObject({ model_name: CHEAP, fallback: true, attempts: 2 });
    expect(parseUsd(last.cost_usd)).toBeGreaterThan(0n);
    expect(last.cost_usd).toBe(last.trace.costUsd);
    expect(chunks.slice(0, -1).every((chunk) => chunk.response_metadata.cost_usd === undefined)).toBe(true);
  });
});

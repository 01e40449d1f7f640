import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../../test/support/event-schemas.js';
import { TEXT_CHUNKS, TEXT_USAGE, TOOL_CHUNKS } from '../../../test/support/recorded-chat.js';
import { RoutingError } from '../../errors/routing-error.js';
import { newTrace } from '../../trace/new-trace.js';
import type { ChatChunk } from '../../types/chat.js';
import type { DialectEvent } from '../stream-translator.js';
import { translateResponsesRequest } from './responses-request.js';
import { ResponsesStreamTranslator } from './responses-stream.js';

const oracle = createSpecOracle();

const translator = () =>
  new ResponsesStreamTranslator({
    requestId: 'swy-test-2',
    model: 'openai/gpt-4o-mini',
    createdAt: 1796168430,
    echo: translateResponsesRequest({ model: 'default', input: 'Hi' }).echo,
  });

/** Every event of a whole stream: start, each chunk, end. */
function run(chunks: readonly ChatChunk[]): DialectEvent[] {
  const stream = translator();
  return [
    ...stream.start(),
    ...chunks.flatMap((chunk) => stream.chunk(chunk)),
    ...stream.end({ usage: TEXT_USAGE, costUsd: '0.000012' }),
  ];
}

const types = (events: readonly DialectEvent[]) => events.map((event) => event.event);
const data = (event: DialectEvent | undefined) => event?.data as Record<string, unknown>;

describe('ResponsesStreamTranslator', () => {
  it('streams text as the Responses event sequence, numbered, each event in OpenRouter schema', () => {
    const events = run(TEXT_CHUNKS);
    expect(types(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(7).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    events.forEach((event, index) => {
      expect(data(event)).toMatchObject({ type: event.event, sequence_number: index });
      assertValidEvent(oracle, 'responses', event.data);
    });
    const text = events
      .filter((event) => event.event === 'response.output_text.delta')
      .map((event) => data(event).delta)
      .join('');
    expect(text).toBe('Mock reply from openai/gpt-4o-mini: you said "Hi".');
    expect(data(events.find((event) => event.event === 'response.output_text.done')).text).toBe(text);
    const completed = data(events.at(-1)).response as Record<string, unknown>;
    expect(completed).toMatchObject({
      id: 'resp_swy-test-2',
      status: 'completed',
      output: [{ type: 'message', status: 'completed', content: [{ type: 'output_text', text }] }],
      usage: { input_tokens: 8, output_tokens: 17, total_tokens: 25, cost: 0.000012 },
    });
  });

  it('streams a tool call as a function_call item with its argument deltas', () => {
    const events = run(TOOL_CHUNKS);
    expect(types(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    for (const event of events) assertValidEvent(oracle, 'responses', event.data);
    expect(data(events[2]).item).toMatchObject({
      type: 'function_call',
      call_id: 'call_9219f4f1881100000001',
      name: 'get_weather',
      arguments: '',
      status: 'in_progress',
    });
    expect(data(events[5])).toMatchObject({ name: 'get_weather', arguments: '{"city":"example"}' });
    expect(data(events[6]).item).toMatchObject({ arguments: '{"city":"example"}', status: 'completed' });
  });

  it('ends a length finish with response.incomplete', () => {
    const chunks = TEXT_CHUNKS.map((chunk) =>
      chunk.choices[0]?.finish_reason === 'stop'
        ? ({ ...chunk, choices: [{ ...chunk.choices[0], finish_reason: 'length' }] } as ChatChunk)
        : chunk,
    );
    const last = data(run(chunks).at(-1));
    expect(last.type).toBe('response.incomplete');
    expect(last.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
  });

  it('fails with response.failed, then an error event whose fields are flat and nested', () => {
    const stream = translator();
    const events = [...stream.start(), ...stream.chunk(TEXT_CHUNKS[0] as ChatChunk)];
    const failure = new RoutingError({
      code: 'stream_interrupted',
      message: 'stream interrupted after it began: Provider disconnected unexpectedly',
      trace: newTrace({ requestedModel: 'default', startedAt: 0, caller: {} }),
    });
    const failed = stream.fail(failure);
    expect(types(failed)).toEqual(['response.failed', 'error']);
    for (const event of failed) assertValidEvent(oracle, 'responses', event.data);
    expect(data(failed[0]).response).toMatchObject({
      status: 'failed',
      error: {
        code: 'server_error',
        message: 'stream interrupted after it began: Provider disconnected unexpectedly',
      },
    });
    expect(data(failed[1])).toEqual({
      type: 'error',
      code: 'stream_interrupted',
      message: 'stream interrupted after it began: Provider disconnected unexpectedly',
      param: null,
      error: {
        type: 'api_error',
        code: 'stream_interrupted',
        message: 'stream interrupted after it began: Provider disconnected unexpectedly',
        param: null,
      },
      sequence_number: events.length + 1,
    });
  });
});

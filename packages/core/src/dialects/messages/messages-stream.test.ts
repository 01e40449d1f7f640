import { createSpecOracle } from '@switchyard/spec-oracle';
import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../../test/support/event-schemas.js';
import { TEXT_CHUNKS, TEXT_USAGE, TOOL_CHUNKS } from '../../../test/support/recorded-chat.js';
import { RoutingError } from '../../errors/routing-error.js';
import { newTrace } from '../../trace/new-trace.js';
import type { ChatChunk } from '../../types/chat.js';
import type { DialectEvent } from '../stream-translator.js';
import { MessagesStreamTranslator } from './messages-stream.js';

const oracle = createSpecOracle();

const translator = (stopSequences: string[] = []) =>
  new MessagesStreamTranslator({ requestId: 'swy-test-4', model: 'openai/gpt-4o-mini', stopSequences });

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

describe('MessagesStreamTranslator', () => {
  it("streams text as Anthropic's event sequence, each event in OpenRouter schema", () => {
    const events = run(TEXT_CHUNKS);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(7).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events) {
      expect(data(event).type).toBe(event.event);
      assertValidEvent(oracle, 'messages', event.data);
    }
    expect(data(events[0]).message).toMatchObject({
      id: 'msg_swy-test-4',
      role: 'assistant',
      content: [],
      model: 'openai/gpt-4o-mini',
    });
    const text = events
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => (data(event).delta as { text: string }).text)
      .join('');
    expect(text).toBe('Mock reply from openai/gpt-4o-mini: you said "Hi".');
    expect(data(events.at(-2))).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null, container: null },
      usage: {
        input_tokens: 8,
        output_tokens: 17,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens_details: null,
        server_tool_use: null,
        cost: 0.000012,
      },
    });
  });

  it('streams a tool call as a tool_use block with input_json_delta pieces, stop_reason tool_use', () => {
    const events = run(TOOL_CHUNKS);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events) assertValidEvent(oracle, 'messages', event.data);
    expect(data(events[1])).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: {
        type: 'tool_use',
        id: 'call_9219f4f1881100000001',
        name: 'get_weather',
        input: {},
        caller: { type: 'direct' },
      },
    });
    const json = events
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => (data(event).delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ city: 'example' });
    expect((data(events.at(-2)).delta as { stop_reason: string }).stop_reason).toBe('tool_use');
  });

  it('closes the text block before a tool block, and numbers blocks in order', () => {
    const [first, , , , , , , , usage] = TEXT_CHUNKS;
    const stream = translator();
    const events = [
      ...stream.start(),
      ...stream.chunk(first as ChatChunk),
      ...TOOL_CHUNKS.slice(0, 3).flatMap((chunk) => stream.chunk(chunk)),
      ...stream.chunk(usage as ChatChunk),
      ...stream.end({ usage: TEXT_USAGE, costUsd: '0' }),
    ];
    expect(
      events
        .filter((event) => event.event.startsWith('content_block_') && event.event !== 'content_block_delta')
        .map((event) => [event.event, data(event).index]),
    ).toEqual([
      ['content_block_start', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_stop', 1],
    ]);
  });

  it('ends a failed stream with an error event in Anthropic shape', () => {
    const stream = translator();
    const failure = new RoutingError({
      code: 'stream_interrupted',
      message: 'stream interrupted after it began: Provider disconnected unexpectedly',
      trace: newTrace({ requestedModel: 'default', startedAt: 0, caller: {} }),
    });
    const [event] = stream.fail(failure);
    assertValidEvent(oracle, 'messages', event?.data);
    expect(event).toEqual({
      event: 'error',
      data: {
        type: 'error',
        error: {
          type: 'api_error',
          message: 'stream interrupted after it began: Provider disconnected unexpectedly',
        },
      },
    });
  });
});

import type { ChatChunk } from '../../types/chat.js';
import type { DialectEvent, StreamEnd, StreamTranslator } from '../stream-translator.js';
import { anthropicError } from './anthropic-error.js';
import { messageId, messagesUsage, stopReasonOf } from './messages-answer.js';
import type { MessagesUsage } from './messages-types.js';

/** The content block being streamed: text, or one tool call's input. */
type OpenBlock = { kind: 'text'; index: number } | { kind: 'tool'; index: number; chatIndex: number };

/** Options of a {@link MessagesStreamTranslator}. */
export interface MessagesStreamOptions {
  /** The request's id (the routing trace's): the message id is made from it. */
  requestId: string;
  /** The model that served. */
  model: string;
  /** The request's `stop_sequences`. */
  stopSequences: readonly string[];
}

/**
 * Anthropic's event sequence over a chat chunk stream: `message_start` (the message with empty
 * content; its `input_tokens` are not known before the upstream's usage arrives, so they are 0
 * there and the real figure comes in `message_delta`, whose counts the SDK applies), then for each
 * block `content_block_start` (the first followed by a `ping`), `content_block_delta`s
 * (`text_delta`, or `input_json_delta` for a tool call's input) and `content_block_stop`, then
 * `message_delta` (stop reason, usage with the whole cost) and `message_stop`. A failure after the
 * start is an `error` event in Anthropic's shape, and the stream ends.
 */
export class MessagesStreamTranslator implements StreamTranslator {
  private open: OpenBlock | undefined;
  private blocks = 0;
  private readonly toolBlocks = new Map<number, number>();
  private finishReason: string | null = null;
  private nativeFinishReason: unknown;
  private stopReason: unknown;
  private refused = false;

  constructor(private readonly options: MessagesStreamOptions) {}

  start(): DialectEvent[] {
    return [
      event('message_start', {
        message: {
          id: messageId(this.options.requestId),
          type: 'message',
          role: 'assistant',
          model: this.options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          stop_details: null,
          container: null,
          usage: openingUsage(),
        },
      }),
    ];
  }

  chunk(chunk: ChatChunk): DialectEvent[] {
    const choice = chunk.choices?.[0];
    if (choice === undefined) return [];
    const events: DialectEvent[] = [];
    const { delta } = choice;
    let text = typeof delta?.content === 'string' ? delta.content : '';
    if (typeof delta?.refusal === 'string' && delta.refusal !== '') {
      this.refused = true;
      text += delta.refusal;
    }
    if (text !== '') {
      if (this.open?.kind !== 'text')
        this.openBlock(events, { type: 'text', text: '', citations: null }, undefined);
      events.push(
        event('content_block_delta', {
          index: (this.open as OpenBlock).index,
          delta: { type: 'text_delta', text },
        }),
      );
    }
    for (const call of delta?.tool_calls ?? []) {
      let index = this.toolBlocks.get(call.index);
      if (index === undefined) {
        index = this.openBlock(
          events,
          {
            type: 'tool_use',
            id: call.id ?? `toolu_${this.options.requestId}_${this.blocks}`,
            name: call.function?.name ?? '',
            input: {},
            caller: { type: 'direct' },
          },
          call.index,
        );
      }
      const piece = call.function?.arguments;
      // A delta for a tool whose block was closed (interleaved calls) still names its own index.
      if (typeof piece === 'string' && piece !== '') {
        events.push(
          event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }),
        );
      }
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      const raw = choice as { native_finish_reason?: unknown; stop_reason?: unknown };
      this.nativeFinishReason = raw.native_finish_reason;
      this.stopReason = raw.stop_reason;
    }
    return events;
  }

  end(input: StreamEnd): DialectEvent[] {
    const events = this.closeBlock();
    const stop = stopReasonOf(
      {
        finishReason: this.finishReason ?? 'stop',
        nativeFinishReason: this.nativeFinishReason,
        stopReason: this.stopReason,
        refused: this.refused,
      },
      this.options.stopSequences,
    );
    const usage = messagesUsage(input.usage, input.costUsd);
    events.push(
      event('message_delta', {
        delta: {
          stop_reason: stop.stop_reason,
          stop_sequence: stop.stop_sequence,
          stop_details: null,
          container: null,
        },
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens_details: usage.output_tokens_details,
          server_tool_use: null,
          cost: usage.cost,
        },
      }),
      event('message_stop', {}),
    );
    return events;
  }

  fail(error: unknown): DialectEvent[] {
    const { body } = anthropicError(error);
    return [event('error', { type: 'error', error: body.error })];
  }

  /** Closes the open block and starts a new one; the first block is followed by a `ping`. */
  private openBlock(
    events: DialectEvent[],
    block: Record<string, unknown>,
    chatIndex: number | undefined,
  ): number {
    events.push(...this.closeBlock());
    const index = this.blocks;
    this.blocks += 1;
    this.open = chatIndex === undefined ? { kind: 'text', index } : { kind: 'tool', index, chatIndex };
    if (chatIndex !== undefined) this.toolBlocks.set(chatIndex, index);
    events.push(event('content_block_start', { index, content_block: block }));
    if (index === 0) events.push(event('ping', {}));
    return index;
  }

  private closeBlock(): DialectEvent[] {
    const open = this.open;
    if (open === undefined) return [];
    this.open = undefined;
    return [event('content_block_stop', { index: open.index })];
  }
}

/** The usage of `message_start`: nothing is counted yet, and the cost is not known (it comes in `message_delta`). */
function openingUsage(): Omit<MessagesUsage, 'cost'> {
  const { cost: _unknown, ...usage } = messagesUsage(undefined, '0');
  return usage;
}

/** An event named as its `type`, as Anthropic sends them. */
function event(type: string, payload: Record<string, unknown>): DialectEvent {
  return { event: type, data: { type, ...payload } };
}

import type { ResponseFunctionToolCall, ResponseOutputMessage } from 'openai/resources/responses/responses';
import { toOpenAIError } from '../../node/to-openai-error.js';
import type { ChatChunk } from '../../types/chat.js';
import type { DialectEvent, StreamEnd, StreamTranslator } from '../stream-translator.js';
import {
  finishedState,
  functionItemId,
  IN_PROGRESS,
  messageItemId,
  type ResponsesIdentity,
  responsesObject,
  responsesUsage,
} from './responses-answer.js';
import type { ResponsesOutputItem } from './responses-types.js';

/** A content part of the open message item: its index in the item and the text so far. */
interface OpenPart {
  index: number;
  text: string;
}

/** The message item being streamed. */
interface OpenMessage {
  outputIndex: number;
  id: string;
  text: OpenPart | undefined;
  refusal: OpenPart | undefined;
}

/** A function-call item being streamed. */
interface OpenCall {
  outputIndex: number;
  item: ResponseFunctionToolCall & { id: string };
}

/**
 * The Responses API's event sequence over a chat chunk stream, numbered by `sequence_number`:
 * `response.created` and `response.in_progress`; for text, `response.output_item.added` (a
 * message), `response.content_part.added`, `response.output_text.delta`…, then
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done`; for each
 * tool call, `response.output_item.added` (a function call), `response.function_call_arguments.delta`…,
 * `.done`, `response.output_item.done`; finally `response.completed` (or `response.incomplete` for
 * a `length` finish) with the usage and the whole cost. A failure after the start is
 * `response.failed` then an `error` event (its fields flat, as the reference documents them, and
 * nested under `error`, as the API sends them and the openai SDK raises on).
 */
export class ResponsesStreamTranslator implements StreamTranslator {
  private sequence = 0;
  /** Every item opened so far, in output order; an item is replaced by its final form when done. */
  private readonly output: ResponsesOutputItem[] = [];
  private message: OpenMessage | undefined;
  /** Open function calls by the chat tool-call index. */
  private readonly calls = new Map<number, OpenCall>();
  private finishReason: string | null = null;

  constructor(private readonly identity: ResponsesIdentity) {}

  start(): DialectEvent[] {
    const response = responsesObject(this.identity, IN_PROGRESS);
    return [
      this.event({ type: 'response.created', response }),
      this.event({ type: 'response.in_progress', response }),
    ];
  }

  chunk(chunk: ChatChunk): DialectEvent[] {
    const choice = chunk.choices?.[0];
    if (choice === undefined) return [];
    const events: DialectEvent[] = [];
    const { delta } = choice;
    if (typeof delta?.content === 'string' && delta.content !== '') {
      const part = this.textPart(events, 'text');
      part.text += delta.content;
      const message = this.message as OpenMessage;
      // The hot path (one event per text chunk): a plain literal, which V8 builds and serializes
      // faster than an object spread together from parts.
      events.push({
        event: 'response.output_text.delta',
        data: {
          type: 'response.output_text.delta',
          item_id: message.id,
          output_index: message.outputIndex,
          content_index: part.index,
          delta: delta.content,
          logprobs: [],
          sequence_number: this.sequence++,
        },
      });
    }
    if (typeof delta?.refusal === 'string' && delta.refusal !== '') {
      const part = this.textPart(events, 'refusal');
      part.text += delta.refusal;
      const message = this.message as OpenMessage;
      events.push(
        this.event({
          type: 'response.refusal.delta',
          item_id: message.id,
          output_index: message.outputIndex,
          content_index: part.index,
          delta: delta.refusal,
        }),
      );
    }
    for (const call of delta?.tool_calls ?? []) {
      let open = this.calls.get(call.index);
      if (open === undefined) {
        // A tool call ends the text before it: the message item is done.
        events.push(...this.closeMessage());
        const outputIndex = this.output.length;
        open = {
          outputIndex,
          item: {
            type: 'function_call',
            id: functionItemId(this.identity.requestId, outputIndex),
            call_id: call.id ?? `call_${this.identity.requestId}_${outputIndex}`,
            name: call.function?.name ?? '',
            arguments: '',
            status: 'in_progress',
          },
        };
        this.calls.set(call.index, open);
        this.output.push(open.item);
        events.push(
          this.event({
            type: 'response.output_item.added',
            output_index: outputIndex,
            item: { ...open.item },
          }),
        );
      }
      const piece = call.function?.arguments;
      if (typeof piece === 'string' && piece !== '') {
        open.item.arguments += piece;
        events.push({
          event: 'response.function_call_arguments.delta',
          data: {
            type: 'response.function_call_arguments.delta',
            item_id: open.item.id,
            output_index: open.outputIndex,
            delta: piece,
            sequence_number: this.sequence++,
          },
        });
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  end(input: StreamEnd): DialectEvent[] {
    // An answer with no content at all is still one (empty) message, as the non-streamed answer is.
    const events: DialectEvent[] = [];
    if (this.output.length === 0) this.textPart(events, 'text');
    events.push(...this.closeMessage());
    for (const open of this.calls.values()) {
      const { item } = open;
      events.push(
        this.event({
          type: 'response.function_call_arguments.done',
          item_id: item.id,
          output_index: open.outputIndex,
          name: item.name,
          arguments: item.arguments,
        }),
      );
      item.status = 'completed';
      const done = { ...item };
      this.output[open.outputIndex] = done;
      events.push(
        this.event({ type: 'response.output_item.done', output_index: open.outputIndex, item: done }),
      );
    }
    this.calls.clear();
    const state = finishedState(this.finishReason, this.output, responsesUsage(input.usage, input.costUsd));
    const response = responsesObject(this.identity, state);
    events.push(
      this.event({
        type: state.status === 'incomplete' ? 'response.incomplete' : 'response.completed',
        response,
      }),
    );
    return events;
  }

  fail(error: unknown): DialectEvent[] {
    const answer = toOpenAIError(error);
    const { message, type, code } = answer.body.error;
    // The Responses error field has a closed set of codes: a rate limit, or a server error.
    const failedCode = answer.status === 429 ? 'rate_limit_exceeded' : 'server_error';
    return [
      this.event({
        type: 'response.failed',
        response: responsesObject(this.identity, {
          status: 'failed',
          incomplete_details: null,
          completed_at: null,
          output: [...this.output],
          error: { code: failedCode, message },
        }),
      }),
      this.event({ type: 'error', code, message, param: null, error: { type, code, message, param: null } }),
    ];
  }

  /**
   * Numbers an event's data (given as a literal, `type` first) and wraps it. No object spread here
   * nor at the call sites: on Node 20 a literal with keys after a spread (`{ ...a, b }`) takes a
   * slow path that costs microseconds per object, on every event.
   */
  private event(data: { type: string } & Record<string, unknown>): DialectEvent {
    data.sequence_number = this.sequence++;
    return { event: data.type, data };
  }

  /** The open message's text or refusal part, opening the message and the part as needed. */
  private textPart(events: DialectEvent[], kind: 'text' | 'refusal'): OpenPart {
    let message = this.message;
    if (message === undefined) {
      const outputIndex = this.output.length;
      message = {
        outputIndex,
        id: messageItemId(this.identity.requestId, outputIndex),
        text: undefined,
        refusal: undefined,
      };
      this.message = message;
      const item: ResponseOutputMessage = {
        type: 'message',
        id: message.id,
        status: 'in_progress',
        role: 'assistant',
        content: [],
      };
      this.output.push(item);
      events.push(this.event({ type: 'response.output_item.added', output_index: outputIndex, item }));
    }
    const existing = message[kind];
    if (existing !== undefined) return existing;
    const part: OpenPart = { index: (message.text ? 1 : 0) + (message.refusal ? 1 : 0), text: '' };
    message[kind] = part;
    events.push(
      this.event({
        type: 'response.content_part.added',
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: part.index,
        part:
          kind === 'text'
            ? { type: 'output_text', text: '', annotations: [], logprobs: [] }
            : { type: 'refusal', refusal: '' },
      }),
    );
    return part;
  }

  /** The `.done` events of the open message, if any: its parts, then the item in its final form. */
  private closeMessage(): DialectEvent[] {
    const message = this.message;
    if (message === undefined) return [];
    const events: DialectEvent[] = [];
    const content: ResponseOutputMessage['content'] = [];
    // Parts close in the order they opened.
    const { text, refusal } = message;
    const parts =
      text !== undefined && refusal !== undefined && refusal.index < text.index
        ? [refusal, text]
        : [text, refusal];
    for (const part of parts) {
      if (part === undefined) continue;
      const { id, outputIndex } = message;
      const contentIndex = part.index;
      if (part === text) {
        const done = { type: 'output_text' as const, text: part.text, annotations: [], logprobs: [] };
        events.push(
          this.event({
            type: 'response.output_text.done',
            item_id: id,
            output_index: outputIndex,
            content_index: contentIndex,
            text: part.text,
            logprobs: [],
          }),
          this.event({
            type: 'response.content_part.done',
            item_id: id,
            output_index: outputIndex,
            content_index: contentIndex,
            part: done,
          }),
        );
        content.push(done);
      } else {
        const done = { type: 'refusal' as const, refusal: part.text };
        events.push(
          this.event({
            type: 'response.refusal.done',
            item_id: id,
            output_index: outputIndex,
            content_index: contentIndex,
            refusal: part.text,
          }),
          this.event({
            type: 'response.content_part.done',
            item_id: id,
            output_index: outputIndex,
            content_index: contentIndex,
            part: done,
          }),
        );
        content.push(done);
      }
    }
    const item: ResponseOutputMessage = {
      type: 'message',
      id: message.id,
      status: this.finishReason === 'length' ? 'incomplete' : 'completed',
      role: 'assistant',
      content,
    };
    this.output[message.outputIndex] = item;
    events.push(this.event({ type: 'response.output_item.done', output_index: message.outputIndex, item }));
    this.message = undefined;
    return events;
  }
}

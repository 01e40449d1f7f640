import type { ResponseFunctionToolCall, ResponseOutputMessage } from 'openai/resources/responses/responses';
import { toOpenAIError } from '../../node/to-openai-error.js';
import type { ChatChunk } from '../../types/chat.js';
import type { DialectEvent, StreamEnd, StreamTranslator } from '../stream-translator.js';
import {
  functionItemId,
  messageItemId,
  type ResponsesIdentity,
  responsesFrame,
  responsesOutcome,
  responsesUsage,
} from './responses-answer.js';
import type { ResponsesAnswer, ResponsesOutputItem } from './responses-types.js';

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
  private readonly frame: ResponsesAnswer;
  /** Every item opened so far, in output order; an item is replaced by its final form when done. */
  private readonly output: ResponsesOutputItem[] = [];
  private message: OpenMessage | undefined;
  /** Open function calls by the chat tool-call index. */
  private readonly calls = new Map<number, OpenCall>();
  private finishReason: string | null = null;

  constructor(private readonly identity: ResponsesIdentity) {
    this.frame = responsesFrame(identity);
  }

  start(): DialectEvent[] {
    return [
      this.event('response.created', { response: this.frame }),
      this.event('response.in_progress', { response: this.frame }),
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
      events.push(
        this.event('response.output_text.delta', {
          ...this.partAddress(part),
          delta: delta.content,
          logprobs: [],
        }),
      );
    }
    if (typeof delta?.refusal === 'string' && delta.refusal !== '') {
      const part = this.textPart(events, 'refusal');
      part.text += delta.refusal;
      events.push(this.event('response.refusal.delta', { ...this.partAddress(part), delta: delta.refusal }));
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
          this.event('response.output_item.added', { output_index: outputIndex, item: { ...open.item } }),
        );
      }
      const piece = call.function?.arguments;
      if (typeof piece === 'string' && piece !== '') {
        open.item.arguments += piece;
        events.push(
          this.event('response.function_call_arguments.delta', {
            item_id: open.item.id,
            output_index: open.outputIndex,
            delta: piece,
          }),
        );
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
        this.event('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: open.outputIndex,
          name: item.name,
          arguments: item.arguments,
        }),
      );
      const done = { ...item, status: 'completed' as const };
      this.output[open.outputIndex] = done;
      events.push(this.event('response.output_item.done', { output_index: open.outputIndex, item: done }));
    }
    this.calls.clear();
    const outcome = responsesOutcome(this.finishReason);
    const response: ResponsesAnswer = {
      ...this.frame,
      ...outcome,
      completed_at: outcome.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
      output: [...this.output],
      usage: responsesUsage(input.usage, input.costUsd),
    };
    events.push(
      this.event(outcome.status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
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
      this.event('response.failed', {
        response: {
          ...this.frame,
          status: 'failed',
          error: { code: failedCode, message },
          output: [...this.output],
        },
      }),
      this.event('error', { code, message, param: null, error: { type, code, message, param: null } }),
    ];
  }

  private event(type: string, payload: Record<string, unknown>): DialectEvent {
    return { event: type, data: { type, ...payload, sequence_number: this.sequence++ } };
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
      events.push(this.event('response.output_item.added', { output_index: outputIndex, item }));
    }
    const existing = message[kind];
    if (existing !== undefined) return existing;
    const part: OpenPart = { index: (message.text ? 1 : 0) + (message.refusal ? 1 : 0), text: '' };
    message[kind] = part;
    events.push(
      this.event('response.content_part.added', {
        ...this.partAddress(part),
        part:
          kind === 'text'
            ? { type: 'output_text', text: '', annotations: [], logprobs: [] }
            : { type: 'refusal', refusal: '' },
      }),
    );
    return part;
  }

  private partAddress(part: OpenPart): { item_id: string; output_index: number; content_index: number } {
    const message = this.message as OpenMessage;
    return { item_id: message.id, output_index: message.outputIndex, content_index: part.index };
  }

  /** The `.done` events of the open message, if any: its parts, then the item in its final form. */
  private closeMessage(): DialectEvent[] {
    const message = this.message;
    if (message === undefined) return [];
    const events: DialectEvent[] = [];
    const content: ResponseOutputMessage['content'] = [];
    const parts = [message.text, message.refusal]
      .filter((part): part is OpenPart => part !== undefined)
      .sort((a, b) => a.index - b.index);
    for (const part of parts) {
      const address = this.partAddress(part);
      if (part === message.text) {
        const done = { type: 'output_text' as const, text: part.text, annotations: [], logprobs: [] };
        events.push(this.event('response.output_text.done', { ...address, text: part.text, logprobs: [] }));
        events.push(this.event('response.content_part.done', { ...address, part: done }));
        content.push(done);
      } else {
        const done = { type: 'refusal' as const, refusal: part.text };
        events.push(this.event('response.refusal.done', { ...address, refusal: part.text }));
        events.push(this.event('response.content_part.done', { ...address, part: done }));
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
    events.push(this.event('response.output_item.done', { output_index: message.outputIndex, item }));
    this.message = undefined;
    return events;
  }
}

import { countTokens } from 'gpt-tokenizer';
import type { ResolvedUpstreamLimits } from '../config/resolve-config.js';
import { AttemptError } from '../errors/attempt-error.js';
import { redactKnownSecrets } from '../errors/redact-secrets.js';
import { classifyWireError } from '../outcome/classify-failure.js';
import { readUsage } from '../spend/attempt-cost.js';
import { SseEventReader } from '../stream/sse-event-reader.js';
import type { TransportResponse } from '../transport/transport.js';
import type { ChatChunk } from '../types/chat.js';
import type { Attempt } from './attempt.js';
import { headerValue, invalidResponse, readAnswerText, readCompletion } from './read-completion.js';

function hasContent(chunk: ChatChunk): boolean {
  const delta = chunk.choices?.[0]?.delta;
  if (delta === undefined) return false;
  return (
    (typeof delta.content === 'string' && delta.content !== '') ||
    (typeof delta.refusal === 'string' && delta.refusal !== '') ||
    (delta.tool_calls?.length ?? 0) > 0
  );
}

/**
 * An upstream's SSE answer to one attempt, read chunk by chunk and checked: an error chunk,
 * `finish_reason: "error"`, bad JSON and an end without a finish reason are classified failures.
 * Tracks the finish reason and the usage chunk.
 */
export class UpstreamStream {
  /** The attempt this stream answers. */
  readonly attempt: Attempt;
  /** Chunks read before the caller saw any, in order, to hand out first. */
  readonly buffered: ChatChunk[] = [];
  /** The usage chunk's usage, once seen. */
  usage: ChatChunk['usage'] | undefined;
  /** True once the upstream's stream ended properly. */
  ended = false;
  private readonly reader: SseEventReader;
  private finishSeen = false;
  /** What the upstream generated so far (content, refusal, tool-call arguments), to price a broken stream. */
  private readonly generated: string[] = [];

  constructor(options: { attempt: Attempt; reader: SseEventReader }) {
    this.attempt = options.attempt;
    this.reader = options.reader;
  }

  /**
   * The stream of a 2xx answer; an answer that is not an event stream is classified (an error
   * body) or an `invalid_response`.
   */
  static async open(
    attempt: Attempt,
    response: TransportResponse,
    limits: ResolvedUpstreamLimits,
  ): Promise<UpstreamStream> {
    const { source } = attempt;
    const contentType = headerValue(response.headers, 'content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      const text = await readAnswerText(response, limits.maxAnswerBytes);
      readCompletion(redactKnownSecrets(text, source.secrets), { source, headers: response.headers });
      throw invalidResponse(source, `expected an event stream, got "${contentType}"`);
    }
    const reader = new SseEventReader(response.chunks(), {
      maxBytes: limits.maxStreamBytes,
      maxLineBytes: limits.maxSseLineBytes,
    });
    return new UpstreamStream({ attempt, reader });
  }

  /**
   * Reads into `buffered` up to the first content chunk (its time is the attempt's `firstChunkMs`),
   * or, with `whole`, to the end.
   */
  async readToFirstContent(options: { whole: boolean }): Promise<void> {
    for (;;) {
      const chunk = await this.next('before its first content');
      if (chunk === undefined) return;
      const record = this.attempt.record;
      record.returnedModel ??= chunk.model;
      record.generationId ??= chunk.id;
      this.buffered.push(chunk);
      if (record.firstChunkMs === undefined && hasContent(chunk)) {
        this.attempt.markFirstContent();
        if (!options.whole) return;
      }
    }
  }

  /**
   * The next chunk, or undefined at the stream's proper end. `context` says where the stream was,
   * for messages. Every chunk resets the attempt's stall watchdog.
   */
  async next(context: string): Promise<ChatChunk | undefined> {
    if (this.ended) return undefined;
    const { source } = this.attempt;
    const data = await this.reader.next();
    this.attempt.touch();
    if (data === undefined || data === '[DONE]') {
      if (!this.finishSeen) {
        throw invalidResponse(
          source,
          `the stream ${data === undefined ? 'broke off' : 'ended'} without a finish reason`,
        );
      }
      this.ended = true;
      return undefined;
    }
    let chunk: ChatChunk & { error?: Record<string, unknown> };
    try {
      // An upstream may echo a provider key (or an encoding of it) in its content.
      chunk = JSON.parse(redactKnownSecrets(data, source.secrets));
    } catch {
      throw invalidResponse(source, 'a stream chunk is not JSON');
    }
    if (chunk.error !== undefined) {
      throw classifyWireError({
        error: chunk.error,
        status: 200,
        headers: {},
        source,
        context: `an error chunk ${context}`,
      });
    }
    const finishReason = chunk.choices?.[0]?.finish_reason as string | null | undefined;
    if (finishReason === 'error') {
      throw new AttemptError({
        code: 'upstream_unavailable',
        message: `${source.label} failed during generation (finish_reason "error" ${context})`,
      });
    }
    if (finishReason) {
      this.finishSeen = true;
      this.attempt.finishReason = finishReason;
    }
    if (chunk.usage) this.usage = chunk.usage;
    else this.keepGenerated(chunk);
    return chunk;
  }

  /**
   * Prices the attempt: from the usage chunk, or, when the stream ended without one (it broke, was
   * aborted, or the upstream never sends usage), from the prompt and the completion tokens it had
   * streamed, counted by the tokenizer and marked estimated.
   */
  settle(): void {
    const usage = readUsage(this.usage);
    if (usage !== undefined) this.attempt.settle(usage);
    else
      this.attempt.settle(undefined, {
        estimate: true,
        streamedTokens: countTokens(this.generated.join('')),
      });
  }

  private keepGenerated(chunk: ChatChunk): void {
    const delta = chunk.choices?.[0]?.delta;
    if (delta === undefined) return;
    if (typeof delta.content === 'string' && delta.content !== '') this.generated.push(delta.content);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') this.generated.push(delta.refusal);
    for (const call of delta.tool_calls ?? []) {
      if (call.function?.name) this.generated.push(call.function.name);
      if (call.function?.arguments) this.generated.push(call.function.arguments);
    }
  }

  /** Stops reading: releases the upstream body. */
  cancel(): void {
    if (this.ended) return;
    this.ended = true;
    void this.reader.cancel().catch(() => undefined);
  }
}

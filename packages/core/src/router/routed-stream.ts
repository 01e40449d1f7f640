import { RoutingError } from '../errors/routing-error.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import type { ChatChunk } from '../types/chat.js';
import { toFailure } from './attempt-failure.js';
import { Interruption } from './interruption.js';
import { type Execution, flushPending } from './request-execution.js';
import type { UpstreamStream } from './upstream-stream.js';

/** Options of a {@link RoutedStream} (built by the router). */
export interface RoutedStreamOptions {
  execution: Execution;
  /** The upstream's live stream; absent for a replay. */
  stream?: UpstreamStream;
  /** Chunks to hand out instead of a live stream: a cached answer replayed. */
  replay?: readonly ChatChunk[];
  /** What the route's validators parsed from the whole answer (validated streams only). */
  parsed?: unknown;
  /**
   * Called once a live stream completed cleanly (its attempt finished as a success), with every
   * chunk handed out, before its writes are awaited: to store the answer. Never for a stream that
   * broke, was aborted or left early.
   */
  onComplete?: (chunks: readonly ChatChunk[]) => void;
  /** Called once when the stream is over: with the error that ended it, if any. */
  onEnd: (error: RoutingError | undefined) => void;
}

/**
 * A routed stream of OpenAI chat-completion chunks. The router returns it once an upstream sent
 * its first content (so `trace.served` already names who serves); iterate it once. A failure
 * after that point is thrown from the iteration as a {@link RoutingError} with code
 * `stream_interrupted` (or `aborted`), never a silent end. Leaving the loop early aborts the
 * upstream request.
 */
export class RoutedStream implements AsyncIterable<ChatChunk> {
  /** The routing trace; complete (usage, cost, latency) once the iteration ended. */
  readonly trace: RoutingTrace;
  /**
   * The value the route's validators parsed (JSON, a schema's output) when the route validates;
   * such a stream is read whole and checked before its first chunk is handed out.
   */
  readonly parsed: unknown;
  private readonly options: RoutedStreamOptions;
  private started = false;
  private cancelled = false;

  constructor(options: RoutedStreamOptions) {
    this.options = options;
    this.trace = options.execution.trace;
    this.parsed = options.parsed;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatChunk> {
    if (this.started) throw new TypeError('a RoutedStream can be iterated only once');
    this.started = true;
    return this.iterate();
  }

  /** Stops reading and aborts the upstream request (the iteration, if any, ends). */
  cancel(): void {
    this.cancelled = true;
    const controller = this.options.stream?.attempt.controller;
    if (controller !== undefined && !controller.aborted) controller.abort(new Interruption('caller'));
    if (!this.started) {
      this.started = true;
      void this.iterate().return(undefined);
    }
  }

  private iterate(): AsyncGenerator<ChatChunk, void, undefined> {
    const { stream, replay = [] } = this.options;
    return stream === undefined ? this.replay(replay) : this.live(stream);
  }

  /** Hands out a replayed answer; nothing upstream to abort. */
  private async *replay(chunks: readonly ChatChunk[]): AsyncGenerator<ChatChunk, void, undefined> {
    const { execution, onEnd } = this.options;
    let completed = false;
    try {
      for (const chunk of chunks) {
        if (this.cancelled) break;
        yield chunk;
      }
      completed = !this.cancelled;
    } finally {
      await flushPending(execution);
      onEnd(
        completed
          ? undefined
          : new RoutingError({
              code: 'aborted',
              message: 'the consumer stopped reading the stream',
              trace: execution.trace,
            }),
      );
    }
  }

  private async *live(stream: UpstreamStream): AsyncGenerator<ChatChunk, void, undefined> {
    const { execution, onEnd, onComplete } = this.options;
    const { attempt } = stream;
    const kept: ChatChunk[] | undefined = onComplete === undefined ? undefined : [];
    let completed = false;
    let failure: RoutingError | undefined;
    try {
      for (const chunk of stream.buffered) {
        kept?.push(chunk);
        yield chunk;
      }
      for (;;) {
        const chunk = await stream.next('after streaming began');
        if (chunk === undefined) break;
        kept?.push(chunk);
        yield chunk;
      }
      completed = true;
    } catch (error) {
      const cause = toFailure(error, attempt.controller, {
        source: attempt.source,
        attemptMs: execution.settings.timeouts.attemptMs,
        stallMs: execution.settings.timeouts.stallMs,
      });
      stream.settle();
      attempt.finish(cause);
      failure = Interruption.isInstance(cause)
        ? new RoutingError({
            code: cause.kind === 'deadline' ? 'deadline_exceeded' : 'aborted',
            message:
              cause.kind === 'deadline'
                ? 'the stream passed its deadline'
                : 'the stream was aborted by the caller',
            trace: execution.trace,
            cause,
          })
        : new RoutingError({
            // Past an upstream limit the stream says so; any other break is an interruption.
            code: cause.code === 'upstream_too_large' ? 'upstream_too_large' : 'stream_interrupted',
            message: `stream interrupted after it began: ${cause.message}`,
            trace: execution.trace,
            lastError: cause,
            cause,
          });
      throw failure;
    } finally {
      let ended = failure;
      if (!completed && failure === undefined) {
        // The consumer left the loop early: abort the upstream.
        const stopped = new Interruption('consumer');
        if (!attempt.controller.aborted) attempt.controller.abort(stopped);
        stream.settle();
        attempt.finish(stopped);
        ended = new RoutingError({
          code: 'aborted',
          message: 'the consumer stopped reading the stream',
          trace: execution.trace,
        });
      }
      if (!completed) {
        if (!attempt.controller.aborted) attempt.controller.abort(new Interruption('caller'));
        stream.cancel();
      } else {
        stream.settle();
        attempt.finish('success');
        if (kept !== undefined) {
          try {
            onComplete?.(kept);
          } catch {
            // Storing the answer must not fail a stream the consumer already read whole.
          }
        }
      }
      // The consumer sees the end only once the spend is settled and in the ledger.
      await flushPending(execution);
      onEnd(ended);
    }
  }
}

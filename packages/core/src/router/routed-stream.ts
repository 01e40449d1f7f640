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
  stream: UpstreamStream;
  /** What the route's validators parsed from the whole answer (validated streams only). */
  parsed?: unknown;
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
    const { controller } = this.options.stream.attempt;
    if (!controller.aborted) controller.abort(new Interruption('caller'));
    if (!this.started) {
      this.started = true;
      void this.iterate().return(undefined);
    }
  }

  private async *iterate(): AsyncGenerator<ChatChunk, void, undefined> {
    const { execution, stream, onEnd } = this.options;
    const { attempt } = stream;
    let completed = false;
    let failure: RoutingError | undefined;
    try {
      for (const chunk of stream.buffered) yield chunk;
      for (;;) {
        const chunk = await stream.next('after streaming began');
        if (chunk === undefined) break;
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
      }
      // The consumer sees the end only once the spend is settled and in the ledger.
      await flushPending(execution);
      onEnd(ended);
    }
  }
}

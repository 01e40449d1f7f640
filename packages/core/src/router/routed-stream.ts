import { RoutingError } from '../errors/routing-error.js';
import type { ModelTarget } from '../routing/target.js';
import type { AttemptTrace, RoutingTrace } from '../trace/routing-trace.js';
import type { ChatChunk } from '../types/chat.js';
import { type Execution, finishAttempt, flushPending, readUsage, settleCost } from './execution.js';
import { Interruption } from './interruption.js';
import { nextChunk, toFailure, type UpstreamStream } from './send-attempt.js';

/** Options of a {@link RoutedStream} (built by the router). */
export interface RoutedStreamOptions {
  execution: Execution;
  target: ModelTarget;
  attempt: AttemptTrace;
  stream: UpstreamStream;
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
  private readonly options: RoutedStreamOptions;
  private started = false;

  constructor(options: RoutedStreamOptions) {
    this.options = options;
    this.trace = options.execution.trace;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatChunk> {
    if (this.started) throw new TypeError('a RoutedStream can be iterated only once');
    this.started = true;
    return this.iterate();
  }

  /** Stops reading and aborts the upstream request (the iteration, if any, ends). */
  cancel(): void {
    const { stream } = this.options;
    if (!stream.controller.aborted) stream.controller.abort(new Interruption('caller'));
    if (!this.started) {
      this.started = true;
      void this.iterate().return(undefined);
    }
  }

  private async *iterate(): AsyncGenerator<ChatChunk, void, undefined> {
    const { execution, target, attempt, stream, onEnd } = this.options;
    const live = stream.reader !== undefined;
    let completed = false;
    let failure: RoutingError | undefined;
    try {
      for (const chunk of stream.buffered) yield chunk;
      const reader = stream.reader;
      if (reader !== undefined) {
        for (;;) {
          const chunk = await nextChunk(stream, { reader, context: 'after streaming began' });
          stream.watchdog?.touch();
          if (chunk === undefined) break;
          yield chunk;
        }
      }
      completed = true;
    } catch (error) {
      const cause = toFailure(error, stream.controller, {
        source: stream.source,
        attemptMs: execution.settings.timeouts.attemptMs,
        stallMs: execution.settings.timeouts.stallMs,
      });
      if (cause instanceof Interruption) {
        attempt.outcome = 'aborted';
        attempt.message = `aborted: ${cause.kind}`;
        failure = new RoutingError({
          code: cause.kind === 'deadline' ? 'deadline_exceeded' : 'aborted',
          message:
            cause.kind === 'deadline'
              ? 'the stream passed its deadline'
              : 'the stream was aborted by the caller',
          trace: execution.trace,
          cause,
        });
      } else {
        attempt.outcome = cause.code;
        attempt.message = cause.message;
        failure = new RoutingError({
          code: 'stream_interrupted',
          message: `stream interrupted after it began: ${cause.message}`,
          trace: execution.trace,
          lastError: cause,
          cause,
        });
      }
      throw failure;
    } finally {
      let ended = failure;
      if (!completed && failure === undefined) {
        // The consumer left the loop early: abort the upstream.
        attempt.outcome = 'aborted';
        attempt.message = 'aborted: the consumer stopped reading';
        ended = new RoutingError({
          code: 'aborted',
          message: 'the consumer stopped reading the stream',
          trace: execution.trace,
        });
      }
      if (!stream.controller.aborted && !completed) stream.controller.abort(new Interruption('caller'));
      if (live) {
        stream.watchdog?.stop();
        stream.unlink();
        if (stream.reader !== undefined && !completed) void stream.reader.cancel().catch(() => undefined);
        const usage = readUsage(stream.usage);
        settleCost(execution, attempt, { target, usage, estimatePrompt: usage === undefined });
        finishAttempt(execution, attempt, stream.startedAt);
      }
      // The consumer sees the end only once the spend is settled and in the ledger.
      await flushPending(execution);
      onEnd(ended);
    }
  }
}

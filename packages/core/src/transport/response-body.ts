import type { Dispatcher } from 'undici';
import { ResponseTooLarge } from './response-too-large.js';

const HIGH_WATER_BYTES = 256 * 1024;
const LOW_WATER_BYTES = 64 * 1024;

/**
 * The body of one undici dispatch as it arrives: read whole with `text()`, or chunk by chunk by
 * async iteration, with backpressure (the socket is paused while the reader lags).
 */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  private readonly controller: Dispatcher.DispatchController;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private collecting = false;
  /** While `text()` collects: the most bytes it holds before it gives up. */
  private limitBytes = Number.POSITIVE_INFINITY;

  constructor(controller: Dispatcher.DispatchController) {
    this.controller = controller;
  }

  /** Called by the dispatch handler with each chunk. */
  push(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > this.limitBytes) {
      this.overflow();
      return;
    }
    if (!this.collecting && this.queuedBytes > HIGH_WATER_BYTES && !this.controller.paused)
      this.controller.pause();
    this.signal();
  }

  /** Called by the dispatch handler at the end of the body. */
  end(): void {
    this.ended = true;
    this.signal();
  }

  /** Called by the dispatch handler when the body fails (reset, abort). */
  fail(error: unknown): void {
    // The first failure stands: after an overflow, the abort it caused comes back here too.
    if (this.failure === undefined) this.failure = error;
    this.signal();
  }

  /** Reads the whole body as UTF-8 text; past `limitBytes`, rejects with a {@link ResponseTooLarge}. */
  async text(options: { limitBytes?: number } = {}): Promise<string> {
    this.collecting = true;
    this.limitBytes = options.limitBytes ?? Number.POSITIVE_INFINITY;
    if (this.queuedBytes > this.limitBytes) this.overflow();
    if (this.controller.paused) this.controller.resume();
    while (!this.ended) {
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.failure !== undefined) throw this.failure;
    const text =
      this.queue.length === 1
        ? (this.queue[0] as Buffer).toString('utf8')
        : Buffer.concat(this.queue).toString('utf8');
    this.queue = [];
    this.queuedBytes = 0;
    return text;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk !== undefined) {
          this.queuedBytes -= chunk.length;
          if (this.controller.paused && this.queuedBytes < LOW_WATER_BYTES) this.controller.resume();
          yield chunk;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      if (!this.ended && this.failure === undefined && !this.controller.aborted) {
        // The reader stopped early: free the connection.
        this.controller.abort(new Error('response body discarded'));
      }
    }
  }

  /** Past the limit: drops what was read and aborts the rest (the connection is not reused). */
  private overflow(): void {
    const error = new ResponseTooLarge({ limit: 'maxAnswerBytes', max: this.limitBytes });
    this.queue = [];
    this.queuedBytes = 0;
    this.failure = error;
    if (!this.controller.aborted) this.controller.abort(error);
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

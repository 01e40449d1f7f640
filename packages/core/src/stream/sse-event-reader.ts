import { ResponseTooLarge } from '../transport/response-too-large.js';
import { SseParser } from '../transport/sse-parser.js';

/** Limits of an {@link SseEventReader}; past one, `next` throws a `ResponseTooLarge`. */
export interface SseReadLimits {
  /** Most bytes of the whole stream. */
  maxBytes?: number;
  /** Longest line, in bytes. */
  maxLineBytes?: number;
}

/** Pulls SSE `data` payloads one at a time from a body's byte chunks. */
export class SseEventReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private readonly parser: SseParser;
  private readonly maxBytes: number;
  private bytes = 0;
  private pending: string[] = [];
  private position = 0;
  private ended = false;

  constructor(chunks: AsyncIterable<Uint8Array>, limits: SseReadLimits = {}) {
    this.chunks = chunks[Symbol.asyncIterator]();
    this.parser = new SseParser(
      limits.maxLineBytes === undefined ? {} : { maxLineBytes: limits.maxLineBytes },
    );
    this.maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** The next event's data, or undefined when the body ended. */
  async next(): Promise<string | undefined> {
    while (this.position >= this.pending.length) {
      if (this.ended) return undefined;
      const { value, done } = await this.chunks.next();
      this.position = 0;
      if (done) {
        this.ended = true;
        this.pending = this.parser.end();
      } else {
        this.bytes += value.length;
        if (this.bytes > this.maxBytes)
          throw new ResponseTooLarge({ limit: 'maxStreamBytes', max: this.maxBytes });
        this.pending = this.parser.push(value);
      }
    }
    const event = this.pending[this.position];
    this.position += 1;
    return event;
  }

  /** Stops reading: releases the body. */
  async cancel(): Promise<void> {
    this.ended = true;
    await this.chunks.return?.();
  }
}

import { SseParser } from '../transport/sse-parser.js';

/** Pulls SSE `data` payloads one at a time from a body's byte chunks. */
export class SseEventReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private readonly parser = new SseParser();
  private pending: string[] = [];
  private position = 0;
  private ended = false;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.chunks = chunks[Symbol.asyncIterator]();
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

import { StringDecoder } from 'node:string_decoder';
import { ResponseTooLarge } from './response-too-large.js';

const NEWLINE = 10;

/**
 * An incremental Server-Sent Events parser: feed it bytes as they arrive, get back the `data`
 * payload of each complete event. Comment lines (`: OPENROUTER PROCESSING`) are dropped; a
 * multi-line `data` is joined with `\n`; UTF-8 sequences split across chunks are kept whole.
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private data: string | undefined;
  private readonly maxLineBytes: number;
  /** Bytes of the line not yet ended by a newline. */
  private openLineBytes = 0;
  /** Comment lines seen so far (keep-alives). */
  comments = 0;

  /**
   * @param options.maxLineBytes longest line: past it `push` throws a `ResponseTooLarge`
   *   (`maxSseLineBytes`) before the line is held, so an unterminated line cannot fill memory
   */
  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Parses a chunk of bytes; returns the data of each event it completed. */
  push(chunk: Uint8Array): string[] {
    if (this.maxLineBytes !== Number.POSITIVE_INFINITY) this.measureLines(chunk);
    this.buffer += this.decoder.write(chunk as Buffer);
    return this.drain();
  }

  /** Flushes the end of the stream: an event not yet closed by a blank line is still returned. */
  end(): string[] {
    this.buffer += `${this.decoder.end()}\n\n`;
    return this.drain();
  }

  /**
   * Checks the lines a chunk ends and the one it leaves open against `maxLineBytes`, on the bytes
   * (native `indexOf`, no decoding): lines within a chunk are searched only for a chunk larger
   * than the limit, since no shorter chunk can hold a line over it.
   */
  private measureLines(chunk: Uint8Array): void {
    const max = this.maxLineBytes;
    const first = chunk.indexOf(NEWLINE);
    if (first === -1) {
      this.openLineBytes += chunk.length;
    } else {
      let longest = this.openLineBytes + first;
      if (chunk.length > max) {
        for (let start = first + 1, end = chunk.indexOf(NEWLINE, start); end !== -1; ) {
          longest = Math.max(longest, end - start);
          start = end + 1;
          end = chunk.indexOf(NEWLINE, start);
        }
      }
      if (longest > max) throw new ResponseTooLarge({ limit: 'maxSseLineBytes', max });
      this.openLineBytes = chunk.length - chunk.lastIndexOf(NEWLINE) - 1;
    }
    if (this.openLineBytes > max) throw new ResponseTooLarge({ limit: 'maxSseLineBytes', max });
  }

  private drain(): string[] {
    const events: string[] = [];
    let start = 0;
    let newline = this.buffer.indexOf('\n', start);
    while (newline !== -1) {
      const end = newline > start && this.buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(this.buffer.slice(start, end), events);
      start = newline + 1;
      newline = this.buffer.indexOf('\n', start);
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.data !== undefined) events.push(this.data);
      this.data = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) {
      this.comments += 1;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    this.data = this.data === undefined ? value : `${this.data}\n${value}`;
  }
}

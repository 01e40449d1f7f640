import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('SseParser', () => {
  it('returns data of complete events and ignores keep-alive comments', () => {
    const parser = new SseParser();
    const events = parser.push(
      bytes(': OPENROUTER PROCESSING\n\ndata: {"a":1}\n\n: OPENROUTER PROCESSING\n\ndata: [DONE]\n\n'),
    );
    expect(events).toEqual(['{"a":1}', '[DONE]']);
    expect(parser.comments).toBe(2);
  });

  it('joins events split across chunks, CRLF line ends included', () => {
    const parser = new SseParser();
    expect(parser.push(bytes('data: {"a"'))).toEqual([]);
    expect(parser.push(bytes(':1}\r'))).toEqual([]);
    expect(parser.push(bytes('\n\r\ndata: x\n'))).toEqual(['{"a":1}']);
    expect(parser.push(bytes('\n'))).toEqual(['x']);
  });

  it('keeps a multi-byte character split between chunks whole', () => {
    const parser = new SseParser();
    const encoded = bytes('data: héllo €\n\n');
    const split = encoded.indexOf(0xe2) + 1;
    expect(parser.push(encoded.subarray(0, split))).toEqual([]);
    expect(parser.push(encoded.subarray(split))).toEqual(['héllo €']);
  });

  it('joins multi-line data and flushes an unterminated last event', () => {
    const parser = new SseParser();
    expect(parser.push(bytes('data: one\ndata: two\n\nevent: ignored\ndata:three'))).toEqual(['one\ntwo']);
    expect(parser.end()).toEqual(['three']);
  });
});

describe('SseParser with maxLineBytes', () => {
  const tooLong = { name: 'ResponseTooLarge', limit: 'maxSseLineBytes', max: 16 };

  it('throws once a line left open passes the limit, before holding more of it', () => {
    const parser = new SseParser({ maxLineBytes: 16 });
    expect(parser.push(bytes('data: 0123456'))).toEqual([]);
    expect(() => parser.push(bytes('789abcdef'))).toThrow(expect.objectContaining(tooLong));
  });

  it('throws for a long line ended in the chunk that brings its end', () => {
    const parser = new SseParser({ maxLineBytes: 16 });
    parser.push(bytes('data: 0123456789'));
    expect(() => parser.push(bytes('abc\n\n'))).toThrow(expect.objectContaining(tooLong));
  });

  it('throws for a long line inside one chunk larger than the limit', () => {
    const parser = new SseParser({ maxLineBytes: 16 });
    expect(() => parser.push(bytes('data: a\n\ndata: 0123456789abcdef\n\ndata: b\n\n'))).toThrow(
      expect.objectContaining(tooLong),
    );
  });

  it('reads lines up to the limit, the count starting over after each newline', () => {
    const parser = new SseParser({ maxLineBytes: 16 });
    // 16 bytes each: "data: 0123456789".
    expect(parser.push(bytes('data: 0123456789\n\ndata: 01234'))).toEqual(['0123456789']);
    expect(parser.push(bytes('56789\n\n'))).toEqual(['0123456789']);
    expect(parser.push(bytes('data: x\r\n\r\n'))).toEqual(['x']);
  });
});

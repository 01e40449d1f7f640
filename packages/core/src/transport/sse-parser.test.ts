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

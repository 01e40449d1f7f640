import { describe, expect, it } from 'vitest';
import { SseEventReader } from './sse-event-reader.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** A body that yields the given chunks and records whether the reader let it go. */
function body(chunks: ReadonlyArray<string | Uint8Array>) {
  const state = { pulled: 0, released: false, finished: false };
  async function* generate(): AsyncGenerator<Uint8Array> {
    try {
      for (const chunk of chunks) {
        state.pulled += 1;
        yield typeof chunk === 'string' ? bytes(chunk) : chunk;
      }
      state.finished = true;
    } finally {
      state.released = true;
    }
  }
  return { chunks: generate(), state };
}

/** Every event until the end. */
async function readAll(reader: SseEventReader): Promise<string[]> {
  const events: string[] = [];
  for (let data = await reader.next(); data !== undefined; data = await reader.next()) events.push(data);
  return events;
}

describe('SseEventReader', () => {
  it('returns the data of each event in order, then undefined at the end of input', async () => {
    const { chunks, state } = body(['data: {"n":1}\n\ndata: {"n":2}\n\n', 'data: {"n":3}\n\n']);
    const reader = new SseEventReader(chunks);
    expect(await reader.next()).toBe('{"n":1}');
    // The second event came in the same chunk: no further pull for it.
    expect(state.pulled).toBe(1);
    expect(await reader.next()).toBe('{"n":2}');
    expect(await reader.next()).toBe('{"n":3}');
    expect(await reader.next()).toBeUndefined();
    expect(state.finished).toBe(true);
    // Once ended it stays ended.
    expect(await reader.next()).toBeUndefined();
  });

  it('joins an event split across chunks, inside the field name, the data and the blank line', async () => {
    const reader = new SseEventReader(
      body(['da', 'ta: {"choices":[{"delta":', '{"content":"hi"}}]}', '\n', '\n', 'data: x\n\n']).chunks,
    );
    expect(await readAll(reader)).toEqual(['{"choices":[{"delta":{"content":"hi"}}]}', 'x']);
  });

  it('reads CRLF line ends, a CR and LF split across chunks included', async () => {
    const reader = new SseEventReader(
      body(['data: one\r\n\r\ndata: two\r', '\n\r', '\ndata: three\r\n\r\n']).chunks,
    );
    expect(await readAll(reader)).toEqual(['one', 'two', 'three']);
  });

  it('skips keep-alive comments, pulling more chunks until an event is complete', async () => {
    const { chunks, state } = body([
      ': OPENROUTER PROCESSING\n\n',
      ': OPENROUTER PROCESSING\n\n',
      ':\n\ndata: {"n":1}\n\n',
    ]);
    const reader = new SseEventReader(chunks);
    expect(await reader.next()).toBe('{"n":1}');
    expect(state.pulled).toBe(3);
    expect(await reader.next()).toBeUndefined();
  });

  it('ignores a comment line in the middle of an event', async () => {
    const reader = new SseEventReader(body(['data: a\n: ping\ndata: b\n\n']).chunks);
    expect(await readAll(reader)).toEqual(['a\nb']);
  });

  it('joins multi-line data with a newline and ignores other fields', async () => {
    const reader = new SseEventReader(
      body(['event: message\nid: 7\nretry: 10\ndata: first\n', 'data:second\ndata\n\n']).chunks,
    );
    expect(await readAll(reader)).toEqual(['first\nsecond\n']);
  });

  it('returns [DONE] as an event like any other', async () => {
    const reader = new SseEventReader(body(['data: {"n":1}\n\ndata: [DONE]\n\n']).chunks);
    expect(await reader.next()).toBe('{"n":1}');
    expect(await reader.next()).toBe('[DONE]');
    expect(await reader.next()).toBeUndefined();
  });

  it('returns an event left unterminated at the end of input', async () => {
    const reader = new SseEventReader(body(['data: {"n":1}\n\ndata: {"n":2}']).chunks);
    expect(await readAll(reader)).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('returns undefined for an empty body and for one with only comments', async () => {
    expect(await new SseEventReader(body([]).chunks).next()).toBeUndefined();
    expect(
      await new SseEventReader(body([': keep-alive\n\n', new Uint8Array(0)]).chunks).next(),
    ).toBeUndefined();
  });

  it('keeps a multi-byte character split across chunks whole', async () => {
    const encoded = bytes('data: {"content":"ça coûte 5 €"}\n\n');
    const split = encoded.indexOf(0xe2) + 1;
    const reader = new SseEventReader(body([encoded.subarray(0, split), encoded.subarray(split)]).chunks);
    expect(await readAll(reader)).toEqual(['{"content":"ça coûte 5 €"}']);
  });

  it('rejects with the body error when the body fails', async () => {
    const reset = new Error('socket reset');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes('data: {"n":1}\n\n');
      throw reset;
    }
    const reader = new SseEventReader(failing());
    expect(await reader.next()).toBe('{"n":1}');
    await expect(reader.next()).rejects.toBe(reset);
  });

  it('cancel releases the body, and next then returns undefined', async () => {
    const { chunks, state } = body(['data: {"n":1}\n\n', 'data: {"n":2}\n\n']);
    const reader = new SseEventReader(chunks);
    expect(await reader.next()).toBe('{"n":1}');
    await reader.cancel();
    expect(state.released).toBe(true);
    expect(state.finished).toBe(false);
    expect(await reader.next()).toBeUndefined();
    expect(state.pulled).toBe(1);
  });

  it('cancel works on a body without a return method', async () => {
    const iterable: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: bytes('data: x\n\n') }),
      }),
    };
    const reader = new SseEventReader(iterable);
    expect(await reader.next()).toBe('x');
    await reader.cancel();
    expect(await reader.next()).toBeUndefined();
  });
});

describe('SseEventReader limits', () => {
  it('throws past maxBytes of the whole stream, after the events within it', async () => {
    const { chunks } = body(['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: {"n":3}\n\n']);
    // Each chunk is 15 bytes: the third passes 40.
    const reader = new SseEventReader(chunks, { maxBytes: 40 });
    expect(await reader.next()).toBe('{"n":1}');
    expect(await reader.next()).toBe('{"n":2}');
    await expect(reader.next()).rejects.toMatchObject({ limit: 'maxStreamBytes', max: 40 });
  });

  it('throws past maxLineBytes for a line that never ends', async () => {
    const { chunks } = body(['data: {"n":', 'x'.repeat(64), 'y'.repeat(64)]);
    const reader = new SseEventReader(chunks, { maxLineBytes: 100 });
    await expect(reader.next()).rejects.toMatchObject({ limit: 'maxSseLineBytes', max: 100 });
  });
});

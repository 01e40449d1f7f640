import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../src/index.js';
import { createClient, jsonOf, oracle, parseSse, postChat, userMessage } from './support.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const MODEL = 'openai/gpt-4o-mini';
const LONG_QUESTION = 'Please describe the weather in Lisbon during a typical spring afternoon';

/** Reads an SSE body until the stream ends or fails; returns the text read and the failure. */
async function readUntilEnd(response: Response): Promise<{ text: string; error?: unknown }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** Reads an SSE body until `count` data events arrived, then returns the text (the body stays open). */
async function readDataEvents(response: Response, count: number): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (parseSse(text).data.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('finish-error', () => {
  it('non-stream: choice with finish_reason "error" and partial content', async () => {
    mock.script(MODEL, [{ kind: 'finish-error', partialContent: 'The weather in' }]);
    const response = await postChat(mock, { model: MODEL, messages: userMessage(LONG_QUESTION) });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    oracle.assertValid('ChatResult', body);
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'error',
      native_finish_reason: 'error',
      message: { content: 'The weather in' },
    });
  });

  it('stream: partial chunks, then a finish_reason "error" chunk', async () => {
    mock.script(MODEL, [{ kind: 'finish-error' }]);
    const response = await postChat(mock, {
      model: MODEL,
      messages: userMessage(LONG_QUESTION),
      stream: true,
    });
    const sse = parseSse(await response.text());
    for (const chunk of sse.chunks) oracle.assertValid('ChatStreamChunk', chunk);
    const choices = sse.chunks.flatMap(
      (chunk) => chunk.choices as Array<{ delta?: { content?: string }; finish_reason: string | null }>,
    );
    const text = choices.map((choice) => choice.delta?.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(`Mock reply from ${MODEL}: you said "${LONG_QUESTION}".`.startsWith(text)).toBe(true);
    expect(text).not.toBe(`Mock reply from ${MODEL}: you said "${LONG_QUESTION}".`);
    expect(
      choices.filter((choice) => choice.finish_reason !== null).map((choice) => choice.finish_reason),
    ).toEqual(['error']);
  });
});

describe('empty-choices', () => {
  it('non-stream: 200 with choices []', async () => {
    mock.script(MODEL, [{ kind: 'empty-choices' }]);
    const body = await jsonOf(postChat(mock, { model: MODEL, messages: userMessage('x') }));
    oracle.assertValid('ChatResult', body);
    expect(body.choices).toEqual([]);
    expect(body.usage.completion_tokens).toBe(0);
  });

  it('stream: only a chunk with choices [] and [DONE]', async () => {
    mock.script(MODEL, [{ kind: 'empty-choices' }]);
    const sse = parseSse(
      await (await postChat(mock, { model: MODEL, messages: userMessage('x'), stream: true })).text(),
    );
    expect(sse.data).toHaveLength(2);
    expect(sse.chunks[0]?.choices).toEqual([]);
    expect(sse.data[1]).toBe('[DONE]');
  });
});

describe('reset', () => {
  it('before any byte: the client sees a connection error, the log says reset', async () => {
    mock.script(MODEL, [{ kind: 'reset' }]);
    const error = await postChat(mock, { model: MODEL, messages: userMessage('x') }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as TypeError).cause)).toMatch(/ECONNRESET|other side closed|socket/i);
    await mock.waitForSettled();
    expect(mock.requests.at(-1)).toMatchObject({ outcome: 'reset', aborted: false, step: 'reset' });
  });

  it('the SDK reports APIConnectionError', async () => {
    mock.script(MODEL, [{ kind: 'reset' }]);
    const error = await createClient(mock)
      .chat.completions.create({ model: MODEL, messages: userMessage('x') })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('stream after n chunks: the client gets n chunks, then the body fails', async () => {
    mock.script(MODEL, [{ kind: 'reset', afterChunks: 2 }]);
    const response = await postChat(mock, {
      model: MODEL,
      messages: userMessage(LONG_QUESTION),
      stream: true,
    });
    expect(response.status).toBe(200);
    const { text, error } = await readUntilEnd(response);
    // The body breaks off: the client's read fails rather than ending cleanly.
    expect(error).toBeInstanceOf(Error);
    const sse = parseSse(text);
    expect(sse.data).toHaveLength(2);
    expect(sse.data).not.toContain('[DONE]');
    await mock.waitForSettled();
    expect(mock.requests.at(-1)).toMatchObject({ outcome: 'reset', status: 200, aborted: false });
  });
});

describe('stall', () => {
  it('non-stream: no response; the client times out and the log shows aborted', async () => {
    mock.script(MODEL, [{ kind: 'stall' }]);
    const error = await createClient(mock, { timeout: 200 })
      .chat.completions.create({ model: MODEL, messages: userMessage('x') })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await mock.waitForSettled();
    expect(mock.requests.at(-1)).toMatchObject({ outcome: 'stalled', aborted: true, step: 'stall' });
    expect(mock.requests.at(-1)?.status).toBeUndefined();
  });

  it('stream: headers and n chunks, then silence without keep-alives until the client aborts', async () => {
    mock.script(MODEL, [{ kind: 'stall', afterChunks: 2 }]);
    const controller = new AbortController();
    const response = await postChat(
      mock,
      { model: MODEL, messages: userMessage(LONG_QUESTION), stream: true },
      {
        signal: controller.signal,
      },
    );
    const text = await readDataEvents(response, 2);
    expect(parseSse(text).data).toHaveLength(2);
    expect(mock.requests.at(-1)).toMatchObject({ outcome: 'stalled', aborted: false });
    controller.abort();
    await mock.waitForSettled();
    expect(mock.requests.at(-1)).toMatchObject({ outcome: 'stalled', aborted: true, status: 200 });
  });

  it('close() ends stalled connections', async () => {
    const own = await startMockUpstream();
    own.script(MODEL, [{ kind: 'stall' }]);
    const pending = postChat(own, { model: MODEL, messages: userMessage('x') }).catch(
      (caught: unknown) => caught,
    );
    await own.waitForRequests(1);
    await own.close();
    expect(await pending).toBeInstanceOf(TypeError);
    expect(own.requests[0]).toMatchObject({ outcome: 'stalled', aborted: false });
  });
});

describe('delayMs', () => {
  it('waits before the first byte', async () => {
    mock.script(MODEL, [{ kind: 'success', delayMs: 120 }]);
    const started = Date.now();
    await postChat(mock, { model: MODEL, messages: userMessage('x') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('sees the client abort during the wait', async () => {
    mock.script(MODEL, [{ kind: 'success', delayMs: 5_000 }]);
    const controller = new AbortController();
    const pending = postChat(
      mock,
      { model: MODEL, messages: userMessage('x') },
      { signal: controller.signal },
    ).catch((caught: unknown) => caught);
    await mock.waitForRequests(1);
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
    await mock.waitForSettled();
    expect(mock.requests[0]).toMatchObject({ outcome: 'aborted', aborted: true });
    expect(mock.requests[0]?.status).toBeUndefined();
  });
});

describe('mid-stream-error', () => {
  it('stream: n chunks, then one chunk with a top-level error and finish_reason "error", no [DONE]', async () => {
    mock.script(MODEL, [
      { kind: 'mid-stream-error', afterChunks: 3, code: 503, message: 'Provider went away' },
    ]);
    const response = await postChat(mock, {
      model: MODEL,
      messages: userMessage(LONG_QUESTION),
      stream: true,
    });
    expect(response.status).toBe(200);
    const sse = parseSse(await response.text());
    expect(sse.data).toHaveLength(4);
    expect(sse.data).not.toContain('[DONE]');
    for (const chunk of sse.chunks) oracle.assertValid('ChatStreamChunk', chunk);
    expect(sse.chunks[3]).toMatchObject({
      error: { code: 503, message: 'Provider went away' },
      choices: [{ finish_reason: 'error' }],
    });
  });

  it('accepts string codes and empty choices (as OpenRouter sometimes sends)', async () => {
    mock.script(MODEL, [{ kind: 'mid-stream-error', code: 'server_error', emptyChoices: true }]);
    const sse = parseSse(
      await (
        await postChat(mock, { model: MODEL, messages: userMessage(LONG_QUESTION), stream: true })
      ).text(),
    );
    expect(sse.chunks.at(-1)).toMatchObject({
      error: { code: 'server_error', message: 'Provider disconnected unexpectedly' },
      choices: [],
    });
    expect(sse.data).toHaveLength(2);
  });

  it('the SDK throws on the error chunk after yielding content', async () => {
    mock.script(MODEL, [{ kind: 'mid-stream-error', afterChunks: 2 }]);
    const stream = await createClient(mock).chat.completions.create({
      model: MODEL,
      messages: userMessage(LONG_QUESTION),
      stream: true,
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((caught: unknown) => caught);
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('Provider disconnected unexpectedly');
  });

  it('non-stream: behaves like error-200', async () => {
    mock.script(MODEL, [{ kind: 'mid-stream-error', code: 502 }]);
    const response = await postChat(mock, { model: MODEL, messages: userMessage('x') });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ error: { code: 502 }, user_id: expect.any(String) });
  });
});

describe('no-finish', () => {
  it('stream: n chunks, then [DONE] without finish_reason or usage', async () => {
    mock.script(MODEL, [{ kind: 'no-finish', afterChunks: 2 }]);
    const sse = parseSse(
      await (
        await postChat(mock, { model: MODEL, messages: userMessage(LONG_QUESTION), stream: true })
      ).text(),
    );
    expect(sse.data).toHaveLength(3);
    expect(sse.data[2]).toBe('[DONE]');
    for (const chunk of sse.chunks) {
      oracle.assertValid('ChatStreamChunk', chunk);
      expect(chunk.usage).toBeUndefined();
      expect((chunk.choices as Array<{ finish_reason: unknown }>)[0]?.finish_reason).toBeNull();
    }
  });

  it('non-stream: finish_reason null', async () => {
    mock.script(MODEL, [{ kind: 'no-finish', afterChunks: 1 }]);
    const body = await jsonOf(postChat(mock, { model: MODEL, messages: userMessage('x') }));
    oracle.assertValid('ChatResult', body);
    expect(body.choices[0]).toMatchObject({ finish_reason: null, message: { content: 'Mock ' } });
  });
});

describe('script queue', () => {
  it('consumes a step with times: n for n requests, then the next step, then normal behaviour', async () => {
    mock.script(MODEL, [
      { kind: 'error', status: 500, times: 2 },
      { kind: 'success', content: 'third' },
    ]);
    const statuses: number[] = [];
    const contents: unknown[] = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await postChat(mock, { model: MODEL, messages: userMessage('x') });
      statuses.push(response.status);
      const body = await jsonOf(response);
      contents.push(body.choices?.[0]?.message.content);
    }
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect(contents[2]).toBe('third');
    expect(contents[3]).toMatch(/^Mock reply/);
    expect(mock.requests.map((entry) => entry.step)).toEqual(['error', 'error', 'success', undefined]);
  });

  it('is keyed by the requested id and appends on repeated calls', async () => {
    mock.script('openai/gpt-4o', [{ kind: 'error', status: 502 }]);
    mock.script('openai/gpt-4o', [{ kind: 'error', status: 503 }]);
    const first = await postChat(mock, { model: 'openai/gpt-4o', messages: userMessage('x') });
    const other = await postChat(mock, { model: 'openai/gpt-4o-2024-11-20', messages: userMessage('x') });
    const second = await postChat(mock, { model: 'openai/gpt-4o', messages: userMessage('x') });
    expect([first.status, other.status, second.status]).toEqual([502, 200, 503]);
  });

  it('rejects invalid steps', () => {
    expect(() => mock.script(MODEL, [{ kind: 'error', status: 500, times: 0 }])).toThrow(/positive integer/);
    expect(() => mock.script(MODEL, [{ kind: 'explode' } as never])).toThrow(/Unknown script step kind/);
  });
});

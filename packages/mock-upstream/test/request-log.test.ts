import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../src/index.js';
import { API_KEY, createClient, postChat, userMessage } from './support.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

describe('request log', () => {
  it('records method, path, model, stream, body, status, served model and timings', async () => {
    await postChat(mock, { model: 'openai/gpt-4o', messages: userMessage('hello'), stream: true }).then(
      (response) => response.text(),
    );
    await mock.waitForSettled();
    const [entry] = mock.requests;
    expect(entry).toMatchObject({
      id: expect.any(Number),
      method: 'POST',
      path: '/api/v1/chat/completions',
      model: 'openai/gpt-4o',
      stream: true,
      body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hello' }], stream: true },
      status: 200,
      outcome: 'completed',
      aborted: false,
      servedModel: 'openai/gpt-4o-2024-11-20',
    });
    expect(entry?.finishedAt).toBeGreaterThanOrEqual(entry?.receivedAt ?? Number.POSITIVE_INFINITY);
  });

  it('redacts the key: the raw key appears nowhere in the serialised log', async () => {
    await createClient(mock).chat.completions.create({ model: 'mock/small-8k', messages: userMessage('x') });
    await postChat(
      mock,
      { model: 'mock/small-8k', messages: userMessage('x') },
      { headers: { 'x-api-key': API_KEY } },
    );
    await mock.waitForSettled();
    const serialised = JSON.stringify(mock.requests);
    expect(serialised).not.toContain(API_KEY);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
    expect(mock.requests[1]?.headers['x-api-key']).toBe('[redacted]');
  });

  it('waitForRequests resolves once enough requests arrived', async () => {
    const waiting = mock.waitForRequests(3);
    for (let index = 0; index < 3; index += 1) {
      void postChat(mock, { model: 'mock/small-8k', messages: userMessage(`${index}`) }).then((response) =>
        response.text(),
      );
    }
    const entries = await waiting;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    await mock.waitForSettled();
  });

  it('waitForRequests rejects after its timeout', async () => {
    await expect(mock.waitForRequests(1, { timeoutMs: 30 })).rejects.toThrow(/Timed out after 30 ms/);
  });

  it('marks a stream the client abandons mid-way as aborted', async () => {
    const slow = await startMockUpstream({ chunkDelayMs: 50 });
    try {
      const controller = new AbortController();
      const response = await postChat(
        slow,
        { model: 'mock/small-8k', messages: userMessage('a b c d e'), stream: true },
        {
          signal: controller.signal,
        },
      );
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      await slow.waitForSettled();
      expect(slow.requests[0]).toMatchObject({ outcome: 'aborted', aborted: true, status: 200 });
    } finally {
      await slow.close();
    }
  });

  it('keeps at most log.maxEntries entries, oldest dropped first', async () => {
    const small = await startMockUpstream({ log: { maxEntries: 2 } });
    try {
      for (const word of ['one', 'two', 'three']) {
        await (await postChat(small, { model: 'mock/small-8k', messages: userMessage(word) })).text();
      }
      await small.waitForSettled();
      expect(small.requests.map((entry) => entry.id)).toEqual([2, 3]);
    } finally {
      await small.close();
    }
  });

  it('logs catalog and unknown-path requests too, and reset() clears the log', async () => {
    await (await fetch(`${mock.url}/models`)).text();
    await (await fetch(`${mock.origin}/nowhere?x=1`)).text();
    await mock.waitForSettled();
    expect(mock.requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['GET', '/api/v1/models', 200],
      ['GET', '/nowhere', 404],
    ]);
    mock.reset();
    expect(mock.requests).toEqual([]);
  });

  it('keeps the raw text of a body that is not JSON', async () => {
    await (await postChat(mock, undefined, { rawBody: 'not json' })).text();
    await mock.waitForSettled();
    expect(mock.requests[0]).toMatchObject({ body: 'not json', status: 400, stream: false });
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MOCK_MODELS, type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import { createSpecOracle } from '@switchyard/spec-oracle';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshCatalog } from './refresh-catalog.js';

const KEY = 'sk-or-v1-catalog-secret-0123456789abcdef';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((close) => close()));
});

async function mockUpstream(options?: Parameters<typeof startMockUpstream>[0]): Promise<MockUpstream> {
  const mock = await startMockUpstream(options);
  cleanups.push(() => mock.close());
  return mock;
}

/** A real loopback server on port 0 for answers the mock upstream does not give. */
async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v1` };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject');
}

describe('refreshCatalog against the mock upstream', () => {
  it('fetches GET /models, keeps every entry in order and dates the snapshot (UTC)', async () => {
    const mock = await mockUpstream();
    const catalog = await refreshCatalog({
      baseURL: mock.url,
      apiKey: KEY,
      headers: { 'X-OpenRouter-Title': 'Switchyard tests' },
      clock: { now: () => Date.parse('2026-12-31T23:59:59.999Z') },
    });

    expect(catalog.source).toBe(`${mock.url}/models`);
    expect(catalog.snapshotDate).toBe('2026-12-31');
    expect(catalog.models.map((model) => model.id)).toEqual(DEFAULT_MOCK_MODELS.map((model) => model.id));
    expect(catalog.skipped).toEqual([]);
    const mini = catalog.models.find((model) => model.id === 'openai/gpt-4o-mini');
    expect(mini?.pricing).toMatchObject({ prompt: '0.00000015', completion: '0.0000006' });

    const [logged] = mock.requests;
    expect(logged).toMatchObject({ method: 'GET', path: '/api/v1/models' });
    expect(logged?.headers.authorization).toBe('Bearer [redacted]');
    expect(logged?.headers['x-openrouter-title']).toBe('Switchyard tests');
  });

  it('returns entries that still validate against the spec’s Model schema', async () => {
    const mock = await mockUpstream();
    const catalog = await refreshCatalog({ baseURL: `${mock.url}/` });
    expect(catalog.source).toBe(`${mock.url}/models`);
    const oracle = createSpecOracle();
    for (const model of catalog.models) expect(oracle.validate('Model', model).valid, model.id).toBe(true);
    expect(mock.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('dates the snapshot with the system clock by default', async () => {
    const mock = await mockUpstream({ apiKeys: ['sk-good'] });
    const before = new Date().toISOString().slice(0, 10);
    const catalog = await refreshCatalog({ baseURL: mock.url, apiKey: 'sk-good' });
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(catalog.snapshotDate);
  });

  it('throws an Error naming the URL and the status on a non-2xx answer', async () => {
    const mock = await mockUpstream();
    const baseURL = `${mock.origin}/api/v9`;
    const error = await rejectionOf(refreshCatalog({ baseURL, apiKey: KEY }));
    expect(error.message).toBe(
      `Catalog refresh failed: GET ${baseURL}/models answered HTTP 404: Not Found: GET /api/v9/models`,
    );
    expect(error.message).not.toContain(KEY);
  });
});

describe('refreshCatalog errors', () => {
  it('reports a 401 with OpenRouter’s message and without the key', async () => {
    const server = await startServer((request, response) => {
      if (request.headers.authorization !== 'Bearer sk-good') {
        sendJson(response, 401, { error: { code: 401, message: 'User not found.' } });
        return;
      }
      sendJson(response, 200, { data: [] });
    });
    const error = await rejectionOf(refreshCatalog({ baseURL: server.url, apiKey: KEY }));
    expect(error.message).toBe(
      `Catalog refresh failed: GET ${server.url}/models answered HTTP 401: User not found.`,
    );
    expect(error.message).not.toContain(KEY);
    await expect(refreshCatalog({ baseURL: server.url, apiKey: 'sk-good' })).resolves.toMatchObject({
      models: [],
    });
  });

  it('never puts the key in a message, even when the upstream echoes it', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(
        `upstream exploded; you sent ${request.headers.authorization} and x=${request.headers['x-key']}`,
      );
    });
    const error = await rejectionOf(
      refreshCatalog({ baseURL: server.url, apiKey: 'plain-key-without-prefix', headers: { 'x-key': KEY } }),
    );
    expect(error.message).toContain('answered HTTP 500: upstream exploded');
    expect(error.message).not.toContain('plain-key-without-prefix');
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });

  it('sends only its own Authorization header when a key is given', async () => {
    let received: string | string[] | undefined;
    const server = await startServer((request, response) => {
      received = request.headers.authorization;
      sendJson(response, 200, { data: [] });
    });
    await refreshCatalog({
      baseURL: server.url,
      apiKey: 'sk-mine',
      headers: { Authorization: 'Bearer sk-other' },
    });
    expect(received).toBe('Bearer sk-mine');
    await refreshCatalog({ baseURL: server.url, headers: { Authorization: 'Bearer sk-other' } });
    expect(received).toBe('Bearer sk-other');
  });

  it.each([
    ['not JSON', 'not json at all', 'returned a body that is not JSON'],
    ['without data', JSON.stringify({ models: [] }), 'returned a body that is not { data: [...] }'],
    ['with data not an array', JSON.stringify({ data: {} }), 'returned a body that is not { data: [...] }'],
    ['a bare array', JSON.stringify([]), 'returned a body that is not { data: [...] }'],
  ])('rejects a 200 body %s', async (_label, body, expected) => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    const error = await rejectionOf(refreshCatalog({ baseURL: server.url, apiKey: KEY }));
    expect(error.message).toBe(`Catalog refresh failed: GET ${server.url}/models ${expected}`);
  });

  it('times out after timeoutMs when the upstream does not answer', async () => {
    const server = await startServer(() => {
      // Never answers.
    });
    const started = Date.now();
    const error = await rejectionOf(refreshCatalog({ baseURL: server.url, apiKey: KEY, timeoutMs: 150 }));
    expect(error.message).toBe(`Catalog refresh failed: GET ${server.url}/models timed out after 150 ms`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a connection failure and honours an aborted signal', async () => {
    const server = await startServer((_request, response) => sendJson(response, 200, { data: [] }));
    const closed = server.url.replace(/:\d+\//, ':1/');
    const refused = await rejectionOf(refreshCatalog({ baseURL: closed, apiKey: KEY }));
    expect(refused.message).toMatch(
      /^Catalog refresh failed: GET http:\/\/127\.0\.0\.1:1\/api\/v1\/models could not/,
    );
    expect(refused.message).not.toContain(KEY);

    const aborted = await rejectionOf(refreshCatalog({ baseURL: server.url, signal: AbortSignal.abort() }));
    expect(aborted.message).toBe(`Catalog refresh failed: GET ${server.url}/models was aborted`);
  });
});

describe('refreshCatalog entry validation', () => {
  it('drops and counts entries with a bad id or bad prices, such as "-1" of openrouter/auto', async () => {
    const good = {
      id: 'acme/good',
      name: 'Acme: Good',
      context_length: 8_192,
      pricing: { prompt: '0.0000001', completion: '0.0000002', discount: 0 },
      architecture: { input_modalities: ['text'], output_modalities: ['text'] },
      supported_parameters: ['tools'],
      extra_field: { kept: true },
    };
    const server = await startServer((_request, response) =>
      sendJson(response, 200, {
        data: [
          { id: 'openrouter/auto', name: 'Auto Router', pricing: { prompt: '-1', completion: '-1' } },
          good,
          { id: '', pricing: { prompt: '0', completion: '0' } },
          { name: 'no id' },
          'not an object',
          { id: 'acme/bad-cache', pricing: { prompt: '0', completion: '0', input_cache_read: 0.1 } },
          { id: 'acme/bad-context', context_length: '8k' },
          { id: 'acme/bad-params', supported_parameters: 'tools' },
          { id: 'acme/bad-modalities', architecture: { input_modalities: 'text' } },
          { id: 'acme/minimal' },
          { ...good, name: 'Acme: Good again' },
        ],
      }),
    );
    const catalog = await refreshCatalog({ baseURL: server.url });

    expect(catalog.models).toEqual([good, { id: 'acme/minimal' }]);
    expect(catalog.skipped).toHaveLength(9);
    expect(catalog.skipped).toEqual([
      { id: 'openrouter/auto', reason: 'pricing.prompt is not a decimal USD string: "-1"' },
      { reason: 'id is not a non-empty string' },
      { reason: 'id is not a non-empty string' },
      { reason: 'entry is not an object' },
      { id: 'acme/bad-cache', reason: 'pricing.input_cache_read is not a decimal USD string: 0.1' },
      { id: 'acme/bad-context', reason: 'context_length is not a token count' },
      { id: 'acme/bad-params', reason: 'supported_parameters is not a string array' },
      { id: 'acme/bad-modalities', reason: 'architecture.input_modalities is not a string array' },
      { id: 'acme/good', reason: 'duplicate id' },
    ]);
  });
});

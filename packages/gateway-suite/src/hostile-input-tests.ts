import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { CUT_MESSAGE } from './cut-log.js';
import { GATEWAY_KEYS, SUITE_LIMITS } from './suite-config.js';
import { ask, type ErrorBody, type SuiteContext, send } from './suite-context.js';

const CHAT = '/chat/completions';

/** A chat request's JSON text around a raw `metadata` or `tools` value (one JSON.stringify cannot write). */
const withRaw = (field: 'metadata' | 'tools', raw: string): string =>
  `${JSON.stringify(ask('default')).slice(0, -1)},"${field}":${raw}}`;

/** 5,000 arrays nested in one another: 10 KB of JSON that overflows JSON.stringify's stack. */
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

/** Model names that are no header value, as raw JSON text (a lone surrogate can only be sent escaped). */
const BAD_MODEL_NAMES: ReadonlyArray<{ name: string; json: string; status: 400 | 404; route?: string }> = [
  { name: 'CR/LF', json: '"default\\r\\nx-injected: 1"', status: 400 },
  { name: 'NUL', json: '"default\\u0000"', status: 400 },
  { name: 'a tab', json: '"de\\tfault"', status: 400 },
  { name: 'DEL', json: '"default\\u007f"', status: 400 },
  { name: 'a name of 300 characters', json: `"${'m'.repeat(300)}"`, status: 400 },
  { name: 'non-ASCII (Latin-1)', json: '"mödel"', status: 404, route: 'm%C3%B6del' },
  { name: 'non-ASCII (CJK, emoji)', json: '"模型🙂"', status: 404, route: '%E6%A8%A1%E5%9E%8B%F0%9F%99%82' },
  { name: 'a lone surrogate', json: '"\\ud800"', status: 404, route: '%EF%BF%BD' },
];

/** The request's log line: the last line the app wrote, once it wrote `count` lines. */
async function logLineAfter(context: SuiteContext, count: number): Promise<Record<string, unknown>> {
  await expect.poll(() => context.gateway.logs.length).toBeGreaterThan(count);
  return JSON.parse(context.gateway.logs.at(-1) as string) as Record<string, unknown>;
}

/** Node answered the 408 before any handler ran: the app logged it anyway (the apps: a pino warning). */
async function expectCutLogged(context: SuiteContext, before: number): Promise<void> {
  await expect
    .poll(() => context.gateway.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>))
    .toContainEqual(
      expect.objectContaining({
        msg: CUT_MESSAGE,
        status: 408,
        code: 'ERR_HTTP_REQUEST_TIMEOUT',
        remoteAddress: '127.0.0.1',
      }),
    );
}

/** A raw socket to the gateway's server; `text()` is everything it received, `closed` when it closed. */
function rawSocket(context: SuiteContext): { socket: Socket; text: () => string; closed: Promise<number> } {
  const url = new URL(context.gateway.url);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  const started = performance.now();
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(performance.now() - started)),
  );
  return { socket, text: () => text, closed };
}

/** A raw HTTP request head for the chat endpoint, with the suite's main key. */
function requestHead(
  context: SuiteContext,
  body: string,
  options: { version?: string; extra?: string; door?: string } = {},
) {
  const path = `${new URL(context.gateway.url).pathname}${options.door ?? CHAT}`;
  return (
    `POST ${path} HTTP/${options.version ?? '1.1'}\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
    `Authorization: Bearer ${GATEWAY_KEYS.main}\r\n${options.extra ?? ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`
  );
}

/** Writes `text` a byte at a time every `everyMs` until the socket closes or the text is out. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || sent === text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[sent] as string);
    sent += 1;
  }, everyMs);
}

/**
 * Hostile input over raw HTTP: model names that are no header value, bodies nested to overflow a
 * serializer, too many messages, SSE and `Connection: close` / HTTP/1.0, a slowloris and a slow
 * body, each cut by the config's limits (`SUITE_LIMITS`).
 */
export function defineHostileInputTests(context: SuiteContext): void {
  it.each(BAD_MODEL_NAMES)(
    'a model name with $name: a $status in OpenAI’s shape with a log line, never a 500',
    async ({ json, status, route }) => {
      const before = context.gateway.logs.length;
      const body = `{"model":${json},"messages":[{"role":"user","content":"Hi"}]}`;
      const response = await send(context, { path: CHAT, body });
      expect(response.status).toBe(status);
      const { error } = (await response.json()) as ErrorBody;
      if (status === 400) expect(error).toMatchObject({ code: 'invalid_parameter', param: 'model' });
      else expect(error).toMatchObject({ code: 'no_route' });
      if (route !== undefined) expect(response.headers.get('x-switchyard-route')).toBe(route);
      expect(response.headers.get('x-injected')).toBeNull();
      expect(await logLineAfter(context, before)).toMatchObject({ status, error: error.code });
      expect(context.mock.requests).toHaveLength(0);
    },
  );

  it('a body that is not UTF-8, and a bad name in models: 400 with a log line', async () => {
    const before = context.gateway.logs.length;
    const bytes = Buffer.concat([
      Buffer.from('{"model":"def'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('ault","messages":[{"role":"user","content":"Hi"}]}'),
    ]);
    const response = await send(context, { path: CHAT, body: new Uint8Array(bytes) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({
      code: 'invalid_json',
      message: 'request body is not valid UTF-8',
    });
    expect(await logLineAfter(context, before)).toMatchObject({ status: 400 });

    const models = await send(context, {
      path: CHAT,
      body: ask('default', 'Hi', { models: ['cheap', 'a\nb'] }),
    });
    expect(models.status).toBe(400);
    expect(((await models.json()) as ErrorBody).error.param).toBe('models[1]');
    expect(await logLineAfter(context, before + 1)).toMatchObject({ status: 400 });
  });

  it('a body nested 5,000 levels deep in metadata or tools: a 400 naming the field, nothing sent upstream', async () => {
    const tools = `[{"type":"function","function":{"name":"f","parameters":{"type":"object","items":${DEEP}}}}]`;
    for (const [body, param] of [
      [withRaw('metadata', DEEP), 'metadata[0]'],
      [withRaw('tools', tools), 'tools[0]'],
    ] as const) {
      const before = context.gateway.logs.length;
      const response = await send(context, { path: CHAT, body });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ErrorBody;
      expect(error).toMatchObject({ code: 'invalid_parameter', param });
      expect(error.message).toContain(`nested deeper than ${SUITE_LIMITS.requestLimits.maxDepth} levels`);
      expect(await logLineAfter(context, before)).toMatchObject({ status: 400 });
    }
    expect(context.mock.requests).toHaveLength(0);
  });

  it.each([
    { door: '/embeddings', body: { model: 'embed', input: 'Hi' } },
    { door: '/responses', body: { model: 'default', input: 'Hi' } },
    {
      door: '/messages',
      body: { model: 'default', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] },
    },
    {
      door: '/messages/count_tokens',
      body: { model: 'default', messages: [{ role: 'user', content: 'Hi' }] },
    },
  ])(
    '$door holds bodies to the same request limits: deep nesting and a CR/LF model name are a 400 naming the field',
    async ({ door, body }) => {
      const deep = `${JSON.stringify(body).slice(0, -1)},"metadata":${DEEP}}`;
      const injected = `${JSON.stringify(body).slice(0, -1)},"model":"default\\r\\nx-injected: 1"}`;
      for (const [text, param, words] of [
        [deep, 'metadata[0]', `nested deeper than ${SUITE_LIMITS.requestLimits.maxDepth} levels`],
        [injected, 'model', 'control characters'],
      ] as const) {
        const before = context.gateway.logs.length;
        const response = await send(context, { path: door, body: text });
        expect(response.status).toBe(400);
        expect(response.headers.get('x-injected')).toBeNull();
        const answer = (await response.json()) as {
          type?: string;
          error: { message: string; param?: string };
        };
        // Anthropic's error shape has no `param`: the message names the field there.
        if (answer.type === 'error') expect(answer.error.message).toContain(param);
        else expect(answer.error.param).toBe(param);
        expect(answer.error.message).toContain(words);
        expect(await logLineAfter(context, before)).toMatchObject({ status: 400 });
      }
      expect(context.mock.requests).toHaveLength(0);
    },
  );

  it('more messages than requestLimits.maxMessages: a 400 naming messages', async () => {
    const max = SUITE_LIMITS.requestLimits.maxMessages;
    const messages = Array.from({ length: max + 1 }, () => ({ role: 'user', content: 'Hi' }));
    const response = await send(context, { path: CHAT, body: { model: 'default', messages } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({
      param: 'messages',
      message: `messages: more than ${max} messages (requestLimits.maxMessages)`,
    });
  });

  const CLOSING_CLIENTS = [
    { client: 'Connection: close', version: '1.1', extra: 'Connection: close\r\n' },
    { client: 'HTTP/1.0', version: '1.0', extra: '' },
  ];
  const STREAMING_DOORS = [
    { door: CHAT, body: ask('default', 'Hi', { stream: true }), last: 'data: [DONE]' },
    {
      door: '/responses',
      body: { model: 'default', input: 'Hi', stream: true },
      last: 'event: response.completed',
    },
    {
      door: '/messages',
      body: { model: 'default', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'Hi' }] },
      last: 'event: message_stop',
    },
  ];
  it.each(STREAMING_DOORS.flatMap((door) => CLOSING_CLIENTS.map((client) => ({ ...door, ...client }))))(
    'an SSE answer of $door to $client closes the socket after its last event',
    async ({ door, body: request, last, version, extra }) => {
      const raw = rawSocket(context);
      const body = JSON.stringify(request);
      raw.socket.write(`${requestHead(context, body, { version, extra, door })}${body}`);
      await expect.poll(() => raw.text().includes(last), { timeout: 5000 }).toBe(true);
      const doneAt = performance.now();
      await raw.closed;
      expect(performance.now() - doneAt).toBeLessThan(1000);
      expect(raw.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(raw.text().toLowerCase()).not.toContain('connection: keep-alive');
    },
  );

  it('a slowloris (headers at 1 byte per 50 ms) is cut at the headers timeout', async () => {
    const before = context.gateway.logs.length;
    const raw = rawSocket(context);
    const body = JSON.stringify(ask('default'));
    trickle(raw.socket, `${requestHead(context, body)}${body}`, 50);
    const closedAfter = await raw.closed;
    const { headersTimeoutMs } = SUITE_LIMITS.server;
    expect(closedAfter).toBeGreaterThanOrEqual(headersTimeoutMs - 100);
    expect(closedAfter).toBeLessThan(headersTimeoutMs + 1500);
    expect(raw.text()).toMatch(/^HTTP\/1\.1 408 /);
    expect(context.mock.requests).toHaveLength(0);
    await expectCutLogged(context, before);
  });

  it('a slow body (1 byte per 50 ms) is cut at the request timeout', async () => {
    const before = context.gateway.logs.length;
    const raw = rawSocket(context);
    const body = JSON.stringify(ask('default', 'x'.repeat(200)));
    raw.socket.write(requestHead(context, body));
    trickle(raw.socket, body, 50);
    const closedAfter = await raw.closed;
    const { requestTimeoutMs } = SUITE_LIMITS.server;
    expect(closedAfter).toBeGreaterThanOrEqual(requestTimeoutMs - 100);
    expect(closedAfter).toBeLessThan(requestTimeoutMs + 1500);
    expect(raw.text()).toMatch(/^HTTP\/1\.1 408 /);
    expect(context.mock.requests).toHaveLength(0);
    await expectCutLogged(context, before);
  });
}

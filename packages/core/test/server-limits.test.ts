import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerLimitsConfig } from '../src/config/config-types.js';
import { applyServerLimits, createGateway, type ServerCut } from '../src/node/index.js';
import { ask, startFixture } from './support/fixture.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** What `onCut` reported, per test. */
let cuts: ServerCut[] = [];
afterEach(() => {
  cuts = [];
});

/** The gateway on a plain node:http server with `limits` applied, its cuts collected in `cuts`. */
async function startServer(limits: ServerLimitsConfig): Promise<number> {
  const { router } = await startFixture({
    config: () => ({ models: { cheap: { provider: 'mock', model: 'meta-llama/llama-3.3-70b-instruct' } } }),
  });
  const gateway = createGateway({ router });
  const server = createServer((request, response) => {
    void gateway.handle(request, response, (request.url ?? '').slice('/v1'.length));
  });
  applyServerLimits(server, limits, { onCut: (cut) => cuts.push(cut) });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A raw client socket: what it received, and when (ms after it connected) the server closed it. */
interface RawClient {
  socket: Socket;
  received: () => string;
  closed: Promise<number>;
}

async function rawClient(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    received += text;
  });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const connected = performance.now();
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(performance.now() - connected)),
  );
  return { socket, received: () => received, closed };
}

/** Writes `text` one byte every `everyMs` until the socket closes; resolves how many bytes went out. */
function trickle(socket: Socket, text: string, everyMs: number): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || sent === text.length) {
        clearInterval(timer);
        resolve(sent);
        return;
      }
      socket.write(text[sent] as string);
      sent += 1;
    }, everyMs);
  });
}

const BODY = JSON.stringify(ask('cheap'));
const REQUEST_HEAD = `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`;

describe('applyServerLimits', () => {
  it('cuts a slowloris (headers at 1 byte per 50 ms) at headersTimeoutMs with a 408', async () => {
    const port = await startServer({ headersTimeoutMs: 400, requestTimeoutMs: 2000 });
    const client = await rawClient(port);
    const sent = trickle(client.socket, `${REQUEST_HEAD}${'x'.repeat(1000)}`, 50);
    const closedAfter = await client.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(350);
    // The limit, plus at most Node's check interval (half the limit here) and scheduling slack.
    expect(closedAfter).toBeLessThan(1200);
    expect(await sent).toBeLessThan(REQUEST_HEAD.length);
    expect(client.received()).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect(cuts).toEqual([
      {
        status: 408,
        code: 'ERR_HTTP_REQUEST_TIMEOUT',
        reason: expect.any(String),
        remoteAddress: '127.0.0.1',
      },
    ]);
  });

  it('cuts a slow body (1 byte per 50 ms) at requestTimeoutMs', async () => {
    const port = await startServer({ headersTimeoutMs: 300, requestTimeoutMs: 800 });
    const client = await rawClient(port);
    client.socket.write(REQUEST_HEAD);
    const sent = trickle(client.socket, BODY, 50);
    const closedAfter = await client.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(700);
    expect(closedAfter).toBeLessThan(1800);
    expect(await sent).toBeLessThan(BODY.length);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(cuts.map((cut) => [cut.status, cut.code])).toEqual([[408, 'ERR_HTTP_REQUEST_TIMEOUT']]);
  });

  it('answers what Node cannot parse as Node would, and reports it: garbage 400, huge headers 431', async () => {
    const port = await startServer({});
    const garbage = await rawClient(port);
    garbage.socket.write('NOT-HTTP \x00\x01\r\n\r\n');
    await garbage.closed;
    expect(garbage.received()).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    const huge = await rawClient(port);
    huge.socket.write(`GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await huge.closed;
    expect(huge.received()).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
    expect(cuts.map((cut) => [cut.status, cut.code, cut.remoteAddress])).toEqual([
      [400, 'HPE_INVALID_METHOD', '127.0.0.1'],
      [431, 'HPE_HEADER_OVERFLOW', '127.0.0.1'],
    ]);
    // What it reports is Node's message, never the request's bytes.
    expect(cuts.map((cut) => cut.reason).join(' ')).not.toContain('aaaa');
  });

  it('closes a connection that sends nothing at headersTimeoutMs', async () => {
    const port = await startServer({ headersTimeoutMs: 300, requestTimeoutMs: 1000 });
    const client = await rawClient(port);
    const closedAfter = await client.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(250);
    expect(closedAfter).toBeLessThan(1200);
  });

  it('serves a request sent at a normal pace, and closes the idle connection after keepAliveTimeoutMs', async () => {
    const port = await startServer({
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
      keepAliveTimeoutMs: 300,
    });
    const client = await rawClient(port);
    client.socket.write(`${REQUEST_HEAD}${BODY}`);
    const closedAfter = await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(client.received()).toContain('"object":"chat.completion"');
    expect(closedAfter).toBeGreaterThanOrEqual(250);
    // Node keeps an idle socket up to 1 s past keepAliveTimeout, so that a client about to reuse
    // it does not lose the race.
    expect(closedAfter).toBeLessThan(2500);
  });

  it('closes connections over maxConnections as they arrive', async () => {
    const port = await startServer({ maxConnections: 2 });
    const first = await rawClient(port);
    const second = await rawClient(port);
    const third = await rawClient(port);
    expect(await third.closed).toBeLessThan(500);
    expect(third.received()).toBe('');
    for (const client of [first, second]) {
      client.socket.write(`${REQUEST_HEAD}${BODY}`);
      await expect.poll(() => client.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    }
  });

  it('closes connections over maxConnectionsPerIp from one address, not from another', async () => {
    const port = await startServer({ maxConnectionsPerIp: 1 });
    const first = await rawClient(port, '127.0.0.1');
    const again = await rawClient(port, '127.0.0.1');
    const other = await rawClient(port, '127.0.0.2');
    expect(await again.closed).toBeLessThan(500);
    expect(cuts).toEqual([
      {
        status: undefined,
        code: 'max_connections_per_ip',
        reason: 'closed: 127.0.0.1 already has 1 open connection (server.maxConnectionsPerIp)',
        remoteAddress: '127.0.0.1',
      },
    ]);
    for (const client of [first, other]) {
      client.socket.write(`${REQUEST_HEAD}${BODY}`);
      await expect.poll(() => client.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    }
    // Once the first closes, its address may connect again.
    first.socket.destroy();
    await first.closed;
    const later = await rawClient(port, '127.0.0.1');
    later.socket.write(`${REQUEST_HEAD}${BODY}`);
    await expect.poll(() => later.received()).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('fills in the documented defaults, and refuses a server that already listens', async () => {
    const server = createServer();
    expect(applyServerLimits(server)).toEqual({
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 4096,
      maxConnectionsPerIp: undefined,
    });
    expect([
      server.headersTimeout,
      server.requestTimeout,
      server.keepAliveTimeout,
      server.maxConnections,
    ]).toEqual([15_000, 60_000, 5000, 4096]);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect(() => applyServerLimits(server)).toThrow(TypeError);
  });
});

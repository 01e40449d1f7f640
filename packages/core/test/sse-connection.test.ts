import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../src/node/index.js';
import { ask, startFixture } from './support/fixture.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function startGateway(): Promise<number> {
  const { router } = await startFixture({
    config: () => ({ models: { cheap: { provider: 'mock', model: 'meta-llama/llama-3.3-70b-instruct' } } }),
  });
  const gateway = createGateway({ router });
  const server = createServer((request, response) => {
    void gateway.handle(request, response, (request.url ?? '').slice('/v1'.length));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends a raw streamed chat request; resolves what came back once `[DONE]` did, and whether the socket then closed. */
async function streamOverRawSocket(
  port: number,
  options: { version: '1.0' | '1.1'; connection?: string },
): Promise<{ head: string; body: string; closedAfterDone: boolean; socket: Socket }> {
  const socket = connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  socket.setEncoding('utf8');
  const body = JSON.stringify({ ...ask('cheap'), stream: true });
  socket.write(
    `POST /v1/chat/completions HTTP/${options.version}\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
      `${options.connection === undefined ? '' : `Connection: ${options.connection}\r\n`}` +
      `Content-Length: ${body.length}\r\n\r\n${body}`,
  );
  let received = '';
  let closed = false;
  socket.on('data', (text: string) => {
    received += text;
  });
  socket.on('close', () => {
    closed = true;
  });
  await expect.poll(() => received.includes('data: [DONE]'), { timeout: 5000 }).toBe(true);
  // A socket that is to close does so right after the last byte; give it 300 ms.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const split = received.indexOf('\r\n\r\n');
  return { head: received.slice(0, split), body: received.slice(split + 4), closedAfterDone: closed, socket };
}

describe('SSE answers and the connection', () => {
  it('close the socket after [DONE] when the client sent Connection: close', async () => {
    const port = await startGateway();
    const answer = await streamOverRawSocket(port, { version: '1.1', connection: 'close' });
    expect(answer.head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer.head.toLowerCase()).toContain('connection: close');
    expect(answer.head.toLowerCase()).not.toContain('keep-alive');
    expect(answer.closedAfterDone).toBe(true);
  });

  it('close the socket after [DONE] for an HTTP/1.0 client, the body unchunked', async () => {
    const port = await startGateway();
    const answer = await streamOverRawSocket(port, { version: '1.0' });
    expect(answer.head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer.head.toLowerCase()).not.toContain('transfer-encoding');
    expect(answer.body.startsWith('data: {')).toBe(true);
    expect(answer.closedAfterDone).toBe(true);
  });

  it('keep a keep-alive connection open after [DONE], ready for the next request', async () => {
    const port = await startGateway();
    const answer = await streamOverRawSocket(port, { version: '1.1' });
    expect(answer.head.toLowerCase()).toContain('connection: keep-alive');
    expect(answer.closedAfterDone).toBe(false);
    let second = '';
    answer.socket.on('data', (text: string) => {
      second += text;
    });
    const body = JSON.stringify(ask('cheap'));
    answer.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await expect.poll(() => second).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*"object":"chat.completion"/);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { Gateway } from '../../src/node/create-gateway.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * Serves a gateway on a plain node:http server (the bridge without any framework) at `/v1` on a
 * loopback port 0, closed after the test; any other path is a bare 404. Returns the base URL.
 */
export async function serveGateway(gateway: Gateway): Promise<string> {
  const server = createServer((request, response) => {
    const path = request.url?.startsWith('/v1/') === true ? request.url.slice('/v1'.length) : '';
    void gateway.handle(request, response, path).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

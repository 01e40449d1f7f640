/**
 * The baseline: a bare Node pass-through proxy. It forwards each request to the upstream over a
 * keep-alive agent and pipes the answer back, doing nothing else. Run: node minimal-proxy.mjs <upstream-origin> <port>
 */
import { Agent, createServer, request as httpRequest } from 'node:http';

const [upstreamOrigin, portText] = process.argv.slice(2);
if (upstreamOrigin === undefined || portText === undefined)
  throw new Error('usage: minimal-proxy <upstream-origin> <port>');
const upstream = new URL(upstreamOrigin);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((incoming, outgoing) => {
  const forwarded = httpRequest(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: incoming.method,
      path: incoming.url?.replace(/^\/v1\//, '/api/v1/'),
      headers: incoming.headers,
      agent,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', () => outgoing.destroy());
  incoming.pipe(forwarded);
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('ready\n'));

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CorsConfig } from '../config/config-types.js';
import { parseConfig } from '../config/load-config.js';
import { ConfigError } from '../errors/config-error.js';
import { createCorsPolicy, isPreflight } from './cors.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A loopback server answering every request with the CORS rules of `config`, as the gateway does. */
async function serve(config: CorsConfig | undefined): Promise<string> {
  const cors = createCorsPolicy(config);
  const server = createServer((request, response) => {
    if (isPreflight(request)) return cors.preflight(request, response, 'POST');
    cors.grant(request, response);
    response.writeHead(200, ['content-type', 'text/plain']).end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const preflight = (url: string, headers: Record<string, string>): Promise<Response> =>
  fetch(url, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', ...headers } });

describe('the CORS rules of the Node bridge', () => {
  it('refuses every preflight when off (no cors section), saying how to turn it on', async () => {
    const url = await serve(undefined);
    const response = await preflight(url, { origin: 'http://localhost:5173' });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      "cross-origin requests are not enabled on this gateway (origin http://localhost:5173); list the origin in the config's cors.origins",
    );
    const actual = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('grants any origin with "*" (no Vary, no credentials)', async () => {
    const url = await serve({ origins: ['*'] });
    const response = await preflight(url, { origin: 'https://anywhere.example' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('vary')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-max-age')).toBe('600');
    const actual = await fetch(url, { headers: { origin: 'https://anywhere.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('*');
    expect(actual.headers.get('access-control-expose-headers')).toContain('x-switchyard-cost');
  });

  it('grants only a well-formed list of requested headers', async () => {
    const url = await serve({ origins: ['https://app.example.com'], maxAgeSeconds: 60 });
    const response = await preflight(url, {
      origin: 'https://app.example.com',
      'access-control-request-headers': 'authorization, x-custom; evil=1',
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/^authorization, content-type, /);
    expect(response.headers.get('access-control-max-age')).toBe('60');
    // Not a preflight (no Access-Control-Request-Method): an ordinary request, granted.
    const plain = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('takes origins as browsers send them, and refuses "*" with credentials', () => {
    const issues = (text: string): string[] => {
      try {
        parseConfig(text);
      } catch (error) {
        if (ConfigError.isInstance(error)) return error.issues.map((issue) => issue.path);
        throw error;
      }
      return [];
    };
    const providers = 'providers: { local: { baseURL: "http://127.0.0.1:1/v1" } }\n';
    expect(
      issues(`${providers}cors: { origins: ["https://app.example.com", "http://localhost:5173"] }`),
    ).toEqual([]);
    expect(issues(`${providers}cors: { origins: ["https://app.example.com/", "app.example.com"] }`)).toEqual([
      'cors.origins[0]',
      'cors.origins[1]',
    ]);
    expect(issues(`${providers}cors: { origins: ["*"], credentials: true }`)).toEqual(['cors.origins']);
    expect(() => createCorsPolicy({ origins: ['*'], credentials: true })).toThrow(
      'origin "*" cannot be combined with credentials',
    );
  });
});

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter } from '@switchyard/core';
import { renderError } from '@switchyard/core/node';
import { startMockUpstream } from '@switchyard/mock-upstream';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminApi } from '../src/admin-api.js';
import { createDashboardPage } from '../src/dashboard-page.js';

const ADMIN_KEY = 'sk-admin-node-handlers-0123';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function assets(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-assets-'));
  await mkdir(join(directory, 'assets'));
  await writeFile(join(directory, 'index.html'), '<!doctype html><title>page</title>');
  await writeFile(join(directory, 'assets', 'index-abc123.js'), 'console.log(1);');
  await writeFile(join(directory, 'secret.txt.bak'), 'not linked');
  return directory;
}

describe('the Node handlers on a plain node:http server', () => {
  it('serves the built page under its path, only its own files, with a strict policy', async () => {
    const page = createDashboardPage({ assetsDir: await assets() });
    const url = await listen(
      createServer((request, response) => {
        void page.handle(request, response).then((answered) => {
          if (!answered) response.writeHead(418).end();
        });
      }),
    );
    const redirect = await fetch(`${url}/dashboard?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/dashboard/?x=1');
    const index = await fetch(`${url}/dashboard/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(await index.text()).toContain('<title>page</title>');
    const script = await fetch(`${url}/dashboard/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/dashboard/nope.js`)).status).toBe(404);
    expect((await fetch(`${url}/dashboard/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${url}/dashboard/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(418);
  });

  it('says how to build a page that is not built', async () => {
    const page = createDashboardPage({ assetsDir: join(tmpdir(), 'switchyard-no-such-build') });
    const url = await listen(createServer((request, response) => void page.handle(request, response)));
    const response = await fetch(`${url}/dashboard/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('pnpm --filter @switchyard/dashboard build');
  });

  it('answers the admin API behind the key, on any base path, and leaves other paths alone', async () => {
    const mock = await startMockUpstream();
    closers.push(() => mock.close());
    const router = createRouter({
      config: {
        providers: { up: { baseURL: mock.url, apiKey: 'sk-or-v1-node-handlers' } },
        models: { mini: { provider: 'up', model: 'openai/gpt-4o-mini' } },
      },
    });
    closers.push(() => router.close());
    const { trace } = await router.chat({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
    const api = createAdminApi({ router, adminKey: ADMIN_KEY, basePath: '/ops' });
    const url = await listen(
      createServer((request, response) => {
        api.handle(request, response).then(
          (answered) => {
            if (!answered) response.writeHead(418).end();
          },
          (error: unknown) => renderError(response, error),
        );
      }),
    );
    const get = (path: string, key = ADMIN_KEY) =>
      fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const spend = (await (await get('/ops/spend')).json()) as { totals: { costUsd: string } };
    expect(spend.totals.costUsd).toBe(trace.costUsd);
    expect((await get('/ops/spend', 'sk-admin-wrong-0123456789')).status).toBe(401);
    expect((await get('/ops/ledger')).status).toBe(418);
    expect((await get('/admin/spend')).status).toBe(418);
    expect(() => createAdminApi({ router, adminKey: 'short' })).toThrow(
      'the admin key must be at least 16 characters',
    );
  });
});

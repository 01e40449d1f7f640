import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { ALLOWED_ORIGIN, GATEWAY_KEYS } from './suite-config.js';
import { ask, type ErrorBody, type SuiteContext, send } from './suite-context.js';

const REFUSED_ORIGIN = 'https://evil.example.net';

/** A browser's preflight of a request to `path` from `origin`. */
function preflight(
  context: SuiteContext,
  input: { path: string; origin: string; method: string; headers?: string },
): Promise<Response> {
  return context.recorder.fetch(`${context.gateway.url}${input.path}`, {
    method: 'OPTIONS',
    headers: {
      origin: input.origin,
      'access-control-request-method': input.method,
      ...(input.headers === undefined ? {} : { 'access-control-request-headers': input.headers }),
    },
  });
}

/** The config's `cors`: the listed origin is granted, with credentials; no other origin is. */
export function defineCorsTests(context: SuiteContext): void {
  it('grants a preflight from a listed origin: 204 with the Access-Control-Allow-* headers', async () => {
    const response = await preflight(context, {
      path: '/chat/completions',
      origin: ALLOWED_ORIGIN,
      method: 'POST',
      headers: 'authorization, content-type, x-stainless-os, x-stainless-retry-count',
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/i);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, x-stainless-os, x-stainless-retry-count',
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await response.text()).toBe('');

    // No headers asked for: the key, the body's type and the openai SDK's headers are granted.
    const models = await preflight(context, {
      path: '/models/default',
      origin: ALLOWED_ORIGIN,
      method: 'GET',
    });
    expect(models.status).toBe(204);
    expect(models.headers.get('access-control-allow-methods')).toMatch(/^GET\b/);
    expect(models.headers.get('access-control-allow-headers')).toContain('authorization, content-type');
    expect(models.headers.get('access-control-allow-headers')).toContain('x-stainless-package-version');
  });

  it('refuses a preflight from another origin: no grant, a 403 saying why', async () => {
    const response = await preflight(context, {
      path: '/chat/completions',
      origin: REFUSED_ORIGIN,
      method: 'POST',
      headers: 'authorization, content-type',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ type: 'permission_error', code: 'origin_not_allowed' });
    expect(error.message).toContain(`origin ${REFUSED_ORIGIN}`);
    expect(error.message).toContain('cors.origins');
  });

  it('lets a page on a listed origin read the answer, its trace headers and its errors', async () => {
    const client = new OpenAI({
      baseURL: context.gateway.url,
      apiKey: GATEWAY_KEYS.main,
      maxRetries: 0,
      fetch: context.recorder.fetch,
      defaultHeaders: { origin: ALLOWED_ORIGIN },
    });
    const { response } = await client.chat.completions
      .create(ask('default', 'From a browser'))
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/i);
    const exposed = response.headers.get('access-control-expose-headers')?.split(/\s*,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining([
        'x-switchyard-model',
        'x-switchyard-cost',
        'x-switchyard-request-id',
        'retry-after',
      ]),
    );

    const stream = await send(context, {
      path: '/chat/completions',
      body: { ...ask('default', 'Stream to a browser'), stream: true },
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    await stream.text();

    const unauthorized = await send(context, {
      path: '/chat/completions',
      body: ask('default'),
      key: null,
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    await unauthorized.text();
  });

  it('gives another origin no grant on its requests', async () => {
    const response = await send(context, {
      path: '/chat/completions',
      body: ask('default'),
      headers: { origin: REFUSED_ORIGIN },
    });
    // The server answers (only the browser can refuse to show it), but grants nothing.
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
    await response.text();

    const models = await send(context, {
      path: '/models',
      method: 'GET',
      headers: { origin: REFUSED_ORIGIN },
    });
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBeNull();
    await models.text();
  });
}

import { APIError, AuthenticationError } from 'openai';
import { expect, it } from 'vitest';
import { GATEWAY_KEYS, MODELS, PROVIDER_KEYS } from './suite-config.js';
import { ask, type ErrorBody, openAIClient, type SuiteContext, send } from './suite-context.js';

const errorOf = async (response: Response): Promise<ErrorBody['error']> => {
  expect(response.headers.get('content-type')).toContain('application/json');
  return ((await response.json()) as ErrorBody).error;
};

const rejectionOf = async (promise: Promise<unknown>): Promise<APIError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
};

const CHAT = '/chat/completions';

/** Every error in OpenAI's shape, with its status and a message naming the problem. */
export function defineErrorTests(context: SuiteContext): void {
  it('400 for a body that is not JSON', async () => {
    const response = await send(context, { path: CHAT, body: '{"model": "default", "messages": [' });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('400 naming the parameter at fault', async () => {
    const empty = await send(context, { path: CHAT, body: { model: 'default', messages: [] } });
    expect(empty.status).toBe(400);
    const error = await errorOf(empty);
    expect(error).toMatchObject({ type: 'invalid_request_error', param: 'messages' });
    expect(error.message).toContain('messages');

    const failure = await rejectionOf(
      openAIClient(context).chat.completions.create({ ...ask('default'), max_tokens: -3 }),
    );
    expect(failure.status).toBe(400);
    expect(failure.param).toBe('max_tokens');
    expect(failure.message).toContain('max_tokens');
  });

  it('401 for a missing key and for a wrong key', async () => {
    const missing = await send(context, { path: CHAT, body: ask('default'), key: null });
    expect(missing.status).toBe(401);
    const error = await errorOf(missing);
    expect(error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
    expect(error.message).toContain('Authorization: Bearer');

    const wrong = await rejectionOf(
      openAIClient(context, 'sk-sy-not-a-key').chat.completions.create(ask('default')),
    );
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.status).toBe(401);
    expect(wrong.code).toBe('invalid_api_key');
    expect(wrong.message).toContain('invalid API key');
  });

  it('403 when the key may not use the route', async () => {
    const response = await send(context, { path: CHAT, body: ask('default'), key: GATEWAY_KEYS.narrow });
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'permission_error', code: 'route_not_allowed', param: 'model' });
    expect(error.message).toContain('"default"');
    expect(context.mock.requests).toHaveLength(0);
  });

  it('404 for an unknown model or route, naming it', async () => {
    const failure = await rejectionOf(openAIClient(context).chat.completions.create(ask('no-such-route')));
    expect(failure.status).toBe(404);
    expect(failure.code).toBe('no_route');
    expect(failure.message).toContain('"no-such-route"');
  });

  it('405 with Allow for a wrong method on an endpoint', async () => {
    const response = await send(context, { path: CHAT, method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    const error = await errorOf(response);
    expect(error.code).toBe('method_not_allowed');
    expect(error.message).toContain('use POST');
  });

  it('413 for a body over the limit', async () => {
    const huge = JSON.stringify(ask('default', 'x'.repeat(5 * 1024 * 1024)));
    const response = await send(context, { path: CHAT, body: huge });
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('body_too_large');
    expect(error.message).toMatch(/larger than|too large/);
  });

  it('402 once the key has spent its budget', async () => {
    const client = openAIClient(context, GATEWAY_KEYS.poor);
    // One expensive answer: 200k prompt tokens at $0.10/M plus the 5.5% fee is over the $0.01 budget.
    context.mock.script(MODELS.cheap, [
      { kind: 'success', usage: { prompt_tokens: 200_000, completion_tokens: 10 } },
    ]);
    const { response } = await client.chat.completions
      .create({ ...ask('cheap'), max_tokens: 16 })
      .withResponse();
    expect(Number(response.headers.get('x-switchyard-cost'))).toBeGreaterThan(0.01);

    const failure = await rejectionOf(client.chat.completions.create({ ...ask('cheap'), max_tokens: 16 }));
    expect(failure.status).toBe(402);
    expect(failure.code).toBe('budget_exceeded');
    expect(failure.message).toContain('poor');
    expect(context.mock.requests).toHaveLength(1);
  });

  it('429 with Retry-After once the key is over its rate limit', async () => {
    const client = openAIClient(context, GATEWAY_KEYS.limited);
    await client.chat.completions.create(ask('cheap'));
    const response = await send(context, { path: CHAT, body: ask('cheap'), key: GATEWAY_KEYS.limited });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(error.message).toContain('rate limit');
  });

  it('502 listing every attempt when all targets fail, without the secrets an upstream echoed', async () => {
    context.mock.script(MODELS.premium, [
      { kind: 'error', status: 500, message: `upstream rejected key ${PROVIDER_KEYS.beta}`, times: 3 },
    ]);
    context.mock.script(MODELS.cheap, [{ kind: 'reset', times: 3 }]);
    const response = await send(context, { path: CHAT, body: ask('default') });
    expect(response.status).toBe(502);
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    const error = await errorOf(response);
    expect(error.code).toBe('all_targets_failed');
    expect(error.message).toContain('premium: upstream_unavailable (HTTP 500)');
    expect(error.message).toContain('cheap: network');
    expect(error.message).not.toContain(PROVIDER_KEYS.beta);
  });
}

import express from 'express';
import { describe, expect, it } from 'vitest';
import { openAIErrorHandler, switchyard } from '../src/index.js';
import { postJson, serve, startRouter } from './support/serve.js';

describe('openAIErrorHandler()', () => {
  it('renders routing errors, body-parser errors and unknown errors in OpenAI shape', async () => {
    const { router } = await startRouter();
    const app = express();
    app.use(switchyard({ router }));
    app.post('/ask', express.json({ limit: '1kb' }), async (request, response) => {
      const { response: answer } = await request.switchyard.chat({
        model: (request.body as { model: string }).model,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      response.json(answer);
    });
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.use(openAIErrorHandler());
    const url = await serve(app);

    const noRoute = await postJson(`${url}/ask`, { model: 'nowhere' });
    expect(noRoute.status).toBe(404);
    expect(noRoute.headers.get('x-switchyard-route')).toBe('nowhere');
    expect(await noRoute.json()).toEqual({
      error: {
        message: 'unknown model or route "nowhere"',
        type: 'not_found_error',
        code: 'no_route',
        param: null,
      },
    });

    const badJson = await postJson(`${url}/ask`, '{"model":');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');

    const tooLarge = await postJson(`${url}/ask`, { model: 'x'.repeat(2000) });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe('body_too_large');

    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({
      error: { message: 'internal error', type: 'api_error', code: null, param: null },
    });
  });
});

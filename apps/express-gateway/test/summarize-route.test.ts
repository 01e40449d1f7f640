import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_KEY, startEmbeddedDefault } from '../src/embedded-default.js';
import { startLogged } from './support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startDemo() {
  const embedded = await startEmbeddedDefault();
  const gateway = await startLogged({ config: embedded.config, catalog: embedded.catalog });
  cleanups.push(
    () => embedded.mock.close(),
    () => gateway.close(),
  );
  return gateway;
}

const summarize = (url: string, body: unknown, key: string | null = DEMO_KEY): Promise<Response> =>
  fetch(`${url}/summarize`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-user-id': 'ada',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const TEXT = 'The meeting moved to Tuesday. Alice presents the budget. Bob brings the numbers.';

describe('POST /summarize: an Express route calling LLMs through req.switchyard', () => {
  it('escalates the cheap-first cascade when zod rejects the cheap answer, and logs one line', async () => {
    const gateway = await startDemo();
    const response = await summarize(gateway.url, { text: TEXT });

    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      title: 'The meeting moved to Tuesday. Alice',
      summary: 'The meeting moved to Tuesday.',
      bullets: ['The meeting moved to Tuesday.', 'Alice presents the budget.', 'Bob brings the numbers.'],
      servedBy: 'anthropic/claude-sonnet-4.6',
      escalated: true,
    });
    const attempts = body.attempts as Array<{ model: string; outcome: string }>;
    expect(attempts[0]).toEqual({ model: 'meta-llama/llama-3.3-70b-instruct', outcome: 'bad_output' });
    expect(attempts.at(-1)).toEqual({ model: 'anthropic/claude-sonnet-4.6', outcome: 'success' });
    expect(response.headers.get('x-switchyard-route')).toBe('smart');
    expect(response.headers.get('x-switchyard-fallback')).toBe('true');
    expect(response.headers.get('x-switchyard-cost')).toBe(body.costUsd);

    await expect.poll(() => gateway.logs.find((line) => line.includes('"path":"/summarize"'))).toBeDefined();
    const line = JSON.parse(gateway.logs.find((each) => each.includes('"path":"/summarize"')) as string);
    expect(line).toMatchObject({
      method: 'POST',
      status: 200,
      key: 'demo',
      route: 'smart',
      model: 'anthropic/claude-sonnet-4.6',
      costUsd: body.costUsd,
    });
    expect(line.attempts).toBe(attempts.length);
    expect(line.latencyMs).toBeGreaterThan(0);
  });

  it('counts the call against the caller: key and user in the ledger', async () => {
    const gateway = await startDemo();
    await summarize(gateway.url, { text: TEXT });
    const entries = await gateway.router.ledger.query({ key: 'demo' });
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries.every((entry) => entry.user === 'ada' && entry.tags.includes('summarize'))).toBe(true);
  });

  it('answers errors in OpenAI shape: 401 without a key, 400 naming `text`, 400 for bad JSON', async () => {
    const gateway = await startDemo();

    const anonymous = await summarize(gateway.url, { text: TEXT }, null);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');

    const empty = await summarize(gateway.url, { text: '' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      error: {
        message: 'text: required: the text to summarize, a non-empty string',
        type: 'invalid_request_error',
        code: 'invalid_parameter',
        param: 'text',
      },
    });

    const broken = await summarize(gateway.url, '{"text": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });
});

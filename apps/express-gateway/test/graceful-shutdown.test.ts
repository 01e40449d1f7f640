import { buildSuiteConfig, GATEWAY_KEYS, MODELS, PROVIDER_KEYS } from '@switchyard/gateway-suite';
import { startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startLogged } from './support.js';

describe('graceful shutdown', () => {
  it('finishes in-flight requests (JSON and SSE) after close() begins, then refuses new ones', async () => {
    const mock = await startMockUpstream({ apiKeys: Object.values(PROVIDER_KEYS) });
    const gateway = await startLogged({ config: buildSuiteConfig(mock.url) });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: GATEWAY_KEYS.main, maxRetries: 0 });
    mock.script(MODELS.premium, [
      { kind: 'success', delayMs: 400, content: 'Finished despite the shutdown.' },
    ]);
    mock.script(MODELS.cheap, [{ kind: 'success', delayMs: 400, content: 'Streamed to the end.' }]);

    const json = client.chat.completions.create({
      model: 'premium',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const stream = client.chat.completions
      .create({ model: 'cheap', stream: true, messages: [{ role: 'user', content: 'Hi' }] })
      .then(async (chunks) => {
        let text = '';
        for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? '';
        return text;
      });
    await mock.waitForRequests(2);
    const closing = performance.now();
    const closed = gateway.close().then(() => performance.now() - closing);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow(); // no longer accepting

    const [completion, text] = await Promise.all([json, stream]);
    expect(completion.choices[0]?.message.content).toBe('Finished despite the shutdown.');
    expect(text).toBe('Streamed to the end.');
    // close() waited for both answers (the upstream took 400 ms to start them).
    expect(await closed).toBeGreaterThan(300);
    expect(mock.requests.map((request) => request.outcome)).toEqual(['completed', 'completed']);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
    await mock.close();
  });

  it('cuts requests still running after shutdownTimeoutMs, aborting their upstream calls', async () => {
    const mock = await startMockUpstream({ apiKeys: Object.values(PROVIDER_KEYS) });
    const gateway = await startLogged({ config: buildSuiteConfig(mock.url), shutdownTimeoutMs: 300 });
    mock.script(MODELS.premium, [{ kind: 'stall' }]);
    const outcome = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEYS.main}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'premium', messages: [{ role: 'user', content: 'Hi' }] }),
    }).then(
      (response) => `answered ${response.status}`,
      (error: Error) => `failed: ${error.message}`,
    );
    await mock.waitForRequests(1);
    const closing = performance.now();
    await gateway.close();
    expect(performance.now() - closing).toBeGreaterThanOrEqual(250);
    expect(await outcome).toBe('failed: fetch failed');
    await mock.waitForSettled();
    expect(mock.requests[0]?.aborted).toBe(true);
    await mock.close();
  });
});

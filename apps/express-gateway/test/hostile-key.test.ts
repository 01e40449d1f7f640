import type { SwitchyardConfig } from '@switchyard/core';
import { type MockUpstream, startMockUpstream } from '@switchyard/mock-upstream';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startLogged } from './support.js';

const PRIMARY = 'openai/gpt-4o-mini';
const BACKUP = 'meta-llama/llama-3.3-70b-instruct';
const HOSTILE_KEY = 'sk-sy-hostile-key-0001';
const GOOD_KEY = 'sk-sy-good-key-0002';

let mock: MockUpstream | undefined;
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  await mock?.close();
});

/** 5,000 arrays nested in one another: 10 KB of JSON whose serialisation overflows the stack. */
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const BASE = '{"model":"default","messages":[{"role":"user","content":"Hi"}]';

/** The bodies the hostile key sends: nested metadata (the breaker poison) and nested tools (the 500). */
const POISON = [
  `${BASE},"metadata":${DEEP}}`,
  `${BASE},"tools":[{"type":"function","function":{"name":"f","parameters":${DEEP}}}]}`,
  `${BASE},"metadata":{"a":${DEEP}}}`,
];

describe('a hostile key against the breakers', () => {
  it('cannot open a breaker with bodies nested past the stack: each is a 400, the next good request is served first try', async () => {
    mock = await startMockUpstream();
    const config: SwitchyardConfig = {
      providers: { mock: { baseURL: mock.url, apiKey: 'sk-or-v1-hostile-test-provider-key' } },
      models: { primary: { provider: 'mock', model: PRIMARY }, backup: { provider: 'mock', model: BACKUP } },
      routes: { default: { strategy: 'fallback', targets: ['primary', 'backup'] } },
      // Three counted failures within a minute would open a target's breaker for every key.
      breaker: { failureThreshold: 3, windowMs: 60_000, cooldownMs: 30_000 },
      keys: [
        { name: 'hostile', key: HOSTILE_KEY },
        { name: 'good', key: GOOD_KEY },
      ],
    };
    const gateway = await startLogged({ config });
    close = () => gateway.close();

    for (let round = 0; round < 5; round += 1) {
      for (const body of POISON) {
        const response = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${HOSTILE_KEY}`, 'content-type': 'application/json' },
          body,
        });
        expect(response.status).toBe(400);
        const { error } = (await response.json()) as { error: { code: string; param: string } };
        expect(error.code).toBe('invalid_parameter');
        expect(['metadata[0]', 'metadata.a', 'tools[0]']).toContain(error.param);
      }
    }
    expect(mock.requests).toHaveLength(0);
    expect(Object.values(gateway.router.breakerStates())).toEqual(['closed', 'closed']);
    const hostileLines = gateway.logs.filter((line) => line.includes('"key":"hostile"'));
    expect(hostileLines).toHaveLength(15);
    expect(hostileLines.every((line) => line.includes('"status":400'))).toBe(true);

    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: GOOD_KEY, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain(PRIMARY);
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-switchyard-fallback')).toBe('false');
  });
});

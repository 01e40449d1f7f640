import { startMockUpstream } from '@switchyard/mock-upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_PRESETS, type ProviderPresetName } from '../src/config/provider-presets.js';
import { validateConfig } from '../src/config/validate-config.js';
import { ConfigError } from '../src/errors/config-error.js';
import { createRouter } from '../src/router/create-router.js';
import { ask, PROVIDER_KEY } from './support/fixture.js';

const MODEL = 'meta-llama/llama-3.3-70b-instruct';

/** What each preset must produce: checked against the providers' documentation (core README). */
const EXPECTED: Record<
  ProviderPresetName,
  {
    baseURL: string;
    keyHeader: 'authorization' | 'x-api-key' | undefined;
    headers: Record<string, string>;
    fee?: string;
  }
> = {
  openrouter: {
    baseURL: 'https://openrouter.ai/api/v1',
    keyHeader: 'authorization',
    headers: {
      'http-referer': 'https://github.com/switchyard-dev/switchyard',
      'x-openrouter-title': 'Switchyard',
    },
    fee: '5.5',
  },
  tokenmix: { baseURL: 'https://api.tokenmix.ai/v1', keyHeader: 'authorization', headers: {} },
  openai: { baseURL: 'https://api.openai.com/v1', keyHeader: 'authorization', headers: {} },
  deepseek: { baseURL: 'https://api.deepseek.com', keyHeader: 'authorization', headers: {} },
  groq: { baseURL: 'https://api.groq.com/openai/v1', keyHeader: 'authorization', headers: {} },
  together: { baseURL: 'https://api.together.ai/v1', keyHeader: 'authorization', headers: {} },
  mistral: { baseURL: 'https://api.mistral.ai/v1', keyHeader: 'authorization', headers: {} },
  anthropic: { baseURL: 'https://api.anthropic.com/v1', keyHeader: 'x-api-key', headers: {} },
  ollama: { baseURL: 'http://localhost:11434/v1', keyHeader: undefined, headers: {} },
  vllm: { baseURL: 'http://localhost:8000/v1', keyHeader: undefined, headers: {} },
};
const NAMES = Object.keys(EXPECTED) as ProviderPresetName[];

/** The issues a config raises, as `path: message` lines. */
function issuesOf(config: unknown): string[] {
  try {
    validateConfig(config);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('provider presets', () => {
  it('covers every preset the README lists, and nothing else', () => {
    expect(Object.keys(PROVIDER_PRESETS).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('%s: fills the base URL, auth, headers and fee', (name) => {
    const local = PROVIDER_PRESETS[name].local;
    const config = validateConfig({
      providers: { p: { preset: name, ...(local ? {} : { apiKey: 'k-12345678' }) } },
    });
    const provider = config.providers.p;
    const expected = EXPECTED[name];
    expect(provider?.baseURL).toBe(expected.baseURL);
    expect(provider?.preset).toBe(name);
    expect(provider?.fee?.percent).toBe(expected.fee);
    const lowered = Object.fromEntries(
      Object.entries(provider?.headers ?? {}).map(([header, value]) => [header.toLowerCase(), value]),
    );
    expect(lowered).toEqual(expected.headers);
    expect(provider?.auth ?? 'bearer').toEqual(
      expected.keyHeader === 'x-api-key' ? { header: 'x-api-key' } : 'bearer',
    );
    // Validating the expanded config again changes nothing (createRouter re-validates loadConfig's).
    expect(validateConfig(config)).toEqual(config);
  });

  it('lets every field be overridden by the provider’s own', () => {
    const config = validateConfig({
      providers: {
        or: {
          preset: 'openrouter',
          apiKey: 'k-12345678',
          baseURL: 'https://eu.example.com/api/v1',
          headers: { 'x-openrouter-title': 'My app', 'HTTP-Referer': '' },
          fee: { percent: 5, freeRequestsPerMonth: 1_000_000 },
        },
        claude: { preset: 'anthropic', apiKey: 'k-12345678', auth: 'bearer' },
      },
    });
    expect(config.providers.or).toEqual({
      preset: 'openrouter',
      apiKey: 'k-12345678',
      baseURL: 'https://eu.example.com/api/v1',
      headers: { 'x-openrouter-title': 'My app', 'HTTP-Referer': '' },
      fee: { percent: '5', freeRequestsPerMonth: 1_000_000 },
    });
    expect(config.providers.claude?.auth).toBe('bearer');
  });

  it('names each bad preset, base URL, key and auth with its path', () => {
    expect(
      issuesOf({
        providers: {
          tm: { preset: 'tokenmx', apiKey: 'k-12345678' },
          none: { apiKey: 'k-12345678' },
          groq: { preset: 'groq' },
          bad: { preset: 'openai', apiKey: 'k', auth: { header: 'not a header' } },
          worse: { preset: 'openai', apiKey: 'k', auth: 'basic' },
        },
      }),
    ).toEqual([
      `providers.tm.preset: unknown preset "tokenmx"; known: ${NAMES.join(', ')}`,
      'providers.none.baseURL: required (or name a preset that gives one)',
      'providers.groq.apiKey: preset "groq" (Groq) needs an API key: set apiKey, e.g. "${GROQ_API_KEY}"',
      'providers.bad.auth.header: must be an HTTP header name',
      'providers.worse.auth: must be "bearer" or { header: "<header name>" } (e.g. { header: x-api-key })',
    ]);
  });
});

describe('provider presets on the wire', () => {
  let mock: Awaited<ReturnType<typeof startMockUpstream>>;
  beforeAll(async () => {
    mock = await startMockUpstream({ apiKeys: [PROVIDER_KEY] });
  });
  afterAll(async () => {
    await mock.close();
  });

  it.each(NAMES)(
    '%s: sends the preset’s auth and attribution headers (base URL pointed at the mock)',
    async (name) => {
      mock.reset();
      const local = PROVIDER_PRESETS[name].local;
      const router = createRouter({
        config: {
          providers: { p: { preset: name, baseURL: mock.url, ...(local ? {} : { apiKey: PROVIDER_KEY }) } },
          models: { m: { provider: 'p', model: MODEL } },
          retry: { maxAttempts: 1 },
        },
      });
      try {
        const call = router.chat(ask('m'));
        // Local presets send no key: the mock (OpenRouter's wire) refuses the call, and logs it.
        if (local) await expect(call).rejects.toMatchObject({ code: 'auth' });
        else await expect(call).resolves.toMatchObject({ trace: { served: { provider: 'p' } } });
      } finally {
        await router.close();
      }
      const [logged] = mock.requests;
      const expected = EXPECTED[name];
      expect(logged?.path).toBe('/api/v1/chat/completions');
      for (const [header, value] of Object.entries(expected.headers))
        expect(logged?.headers[header]).toBe(value);
      expect(logged?.headers.authorization).toBe(
        expected.keyHeader === 'authorization' ? 'Bearer [redacted]' : undefined,
      );
      expect(logged?.headers['x-api-key']).toBe(
        expected.keyHeader === 'x-api-key' ? '[redacted]' : undefined,
      );
    },
  );

  it('drops a preset header set to "" and sends an overriding one once', async () => {
    mock.reset();
    const router = createRouter({
      config: {
        providers: {
          p: {
            preset: 'openrouter',
            baseURL: mock.url,
            apiKey: PROVIDER_KEY,
            headers: { 'http-referer': '', 'X-OpenRouter-Title': 'My app' },
          },
        },
        models: { m: { provider: 'p', model: MODEL } },
      },
    });
    try {
      await router.chat(ask('m'));
    } finally {
      await router.close();
    }
    expect(mock.requests[0]?.headers['http-referer']).toBeUndefined();
    expect(mock.requests[0]?.headers['x-openrouter-title']).toBe('My app');
  });
});

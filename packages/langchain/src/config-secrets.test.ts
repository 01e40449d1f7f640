import { describe, expect, it } from 'vitest';
import { configSecrets } from './config-secrets.js';

describe('configSecrets', () => {
  it('names every provider key, provider header and gateway key', () => {
    expect(
      configSecrets({
        providers: {
          openrouter: {
            baseURL: 'https://openrouter.ai/api/v1',
            apiKey: 'k',
            headers: { Authorization: 'x' },
          },
          local: { baseURL: 'http://127.0.0.1:11434/v1' },
        },
        keys: [{ name: 'team-a', key: 'g' }],
      }),
    ).toEqual({
      'config.providers.openrouter.apiKey': 'SWITCHYARD_OPENROUTER_API_KEY',
      'config.providers.openrouter.headers.Authorization': 'SWITCHYARD_OPENROUTER_HEADER_AUTHORIZATION',
      'config.keys.0.key': 'SWITCHYARD_GATEWAY_KEY_TEAM_A',
    });
  });

  it('gives up (so the config is not serialised) when a name holds a dot', () => {
    expect(
      configSecrets({ providers: { 'eu.openrouter': { baseURL: 'https://x/v1', apiKey: 'k' } } }),
    ).toBeUndefined();
  });
});

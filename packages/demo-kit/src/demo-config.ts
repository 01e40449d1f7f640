import type { SwitchyardConfig } from '@switchyard/core';

/** The demo's gateway key: not a secret, it is printed so the curls work. */
export const DEMO_KEY = 'sy-demo-key-not-a-secret';

/** The cheap model of the embedded default (tried first by the cascade). */
export const CHEAP_MODEL = 'meta-llama/llama-3.3-70b-instruct';

/** The premium model of the embedded default (tried first by the fallback route). */
export const PREMIUM_MODEL = 'anthropic/claude-sonnet-4.6';

/** The embedding model of the embedded default (first of the `embed` route). */
export const EMBEDDING_MODEL = 'openai/text-embedding-3-small';

/** The backup embedding model of the embedded default (second of the `embed` route). */
export const BACKUP_EMBEDDING_MODEL = 'mistralai/mistral-embed';

/**
 * The embedded default's configuration, against a mock upstream at `mockUrl`: a fallback route
 * (`default`: premium, then cheap), a cheap-first cascade (`smart`, answers must be JSON), an
 * embeddings route (`embed`: text-embedding-3-small, then mistral-embed, priced per input token)
 * and the demo key with a daily budget.
 */
export function demoConfig(mockUrl: string): SwitchyardConfig {
  return {
    providers: {
      openrouter: { baseURL: mockUrl, apiKey: 'sk-or-demo-provider-key', fee: { percent: '5.5' } },
    },
    models: {
      cheap: {
        provider: 'openrouter',
        model: CHEAP_MODEL,
        pricing: { prompt: '0.00000012', completion: '0.0000003' },
      },
      premium: {
        provider: 'openrouter',
        model: PREMIUM_MODEL,
        pricing: { prompt: '0.000003', completion: '0.000015' },
      },
      embedder: {
        provider: 'openrouter',
        model: EMBEDDING_MODEL,
        type: 'embedding',
        pricing: { prompt: '0.00000002' },
      },
      'embedder-backup': {
        provider: 'openrouter',
        model: BACKUP_EMBEDDING_MODEL,
        type: 'embedding',
        pricing: { prompt: '0.0000001' },
      },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'], validate: { json: true } },
      embed: { strategy: 'fallback', targets: ['embedder', 'embedder-backup'] },
    },
    timeouts: { attemptMs: 15_000 },
    keys: [{ name: 'demo', key: DEMO_KEY, budget: { usd: '5', period: 'day' } }],
  };
}

import type { SwitchyardConfig } from '@switchyard/core';

/** The demo's gateway key: not a secret, it is printed so the curls work. */
export const DEMO_KEY = 'sy-demo-key-not-a-secret';

/** The cheap model of the embedded default (tried first by the cascade). */
export const CHEAP_MODEL = 'meta-llama/llama-3.3-70b-instruct';

/** The premium model of the embedded default (tried first by the fallback route). */
export const PREMIUM_MODEL = 'anthropic/claude-sonnet-4.6';

/**
 * The embedded default's configuration, against a mock upstream at `mockUrl`: a fallback route
 * (`default`: premium, then cheap), a cheap-first cascade (`smart`, answers must be JSON) and the
 * demo key with a daily budget.
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
    },
    routes: {
      default: { strategy: 'fallback', targets: ['premium', 'cheap'] },
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'], validate: { json: true } },
    },
    timeouts: { attemptMs: 15_000 },
    keys: [{ name: 'demo', key: DEMO_KEY, budget: { usd: '5', period: 'day' } }],
  };
}

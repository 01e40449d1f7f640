import type { SwitchyardConfig } from '@switchyard/core';

/** The cheap model of the embedded default: tried first by the cascade `smart`. */
export const CHEAP_MODEL = 'meta-llama/llama-3.3-70b-instruct';

/** The premium model of the embedded default: tried first by the fallback route `default`. */
export const PREMIUM_MODEL = 'anthropic/claude-sonnet-4.6';

/**
 * The embedded default's configuration against a mock upstream at `mockUrl`: OpenRouter's wire and
 * its 5.5% fee, a fallback route (`default`: premium, then cheap) and a cheap-first cascade
 * (`smart`: cheap, then premium when a validator rejects the cheap answer).
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
      smart: { strategy: 'cascade', targets: ['cheap', 'premium'] },
    },
    retry: { maxAttempts: 2, baseDelayMs: 50 },
    timeouts: { attemptMs: 15_000 },
  };
}

import type { SwitchyardConfig } from '@switchyard/core';

/** OpenRouter's OpenAI-compatible API. */
export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/**
 * The configuration used when `OPENROUTER_API_KEY` is set and no config file is given: OpenRouter
 * with its 5.5% pay-as-you-go fee, aliases for a few widely used models, and routes `default`
 * (fallback), `smart` (cheap-first cascade that requires JSON) and `thrifty` (cheapest). Prices and
 * context windows come from the bundled catalog. No keys: the gateway is open (and says so).
 */
export function openRouterDefault(apiKey: string): SwitchyardConfig {
  return {
    providers: {
      openrouter: {
        baseURL: OPENROUTER_BASE_URL,
        apiKey,
        fee: { percent: '5.5' },
        headers: { 'X-OpenRouter-Title': 'Switchyard gateway' },
      },
    },
    models: {
      'gpt-4o-mini': { provider: 'openrouter', model: 'openai/gpt-4o-mini' },
      'gemini-flash': { provider: 'openrouter', model: 'google/gemini-2.5-flash' },
      llama: { provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct' },
      'claude-sonnet': { provider: 'openrouter', model: 'anthropic/claude-sonnet-4.6' },
    },
    routes: {
      default: { strategy: 'fallback', targets: ['gpt-4o-mini', 'gemini-flash', 'llama'] },
      smart: {
        strategy: 'cascade',
        targets: ['llama', 'gpt-4o-mini', 'claude-sonnet'],
        validate: { json: true },
      },
      thrifty: { strategy: 'cheapest', targets: ['gpt-4o-mini', 'gemini-flash', 'llama'] },
    },
    maxCostPerRequest: '0.50',
  };
}

import type { FeeConfig, ProviderAuth } from './config-types.js';

/** What a provider preset fills in: every field can be overridden by the provider's own. */
export interface ProviderPreset {
  /** Display name, e.g. `OpenRouter`. */
  readonly label: string;
  /** Base URL including the API prefix. */
  readonly baseURL: string;
  /**
   * How the API key is sent.
   * @default 'bearer'
   */
  readonly auth?: ProviderAuth;
  /** Headers sent with every request (attribution headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The platform fee on top of token prices, when the provider charges one. */
  readonly fee?: Readonly<FeeConfig>;
  /** A server on the caller's machine: no API key is needed. */
  readonly local: boolean;
}

/**
 * The provider presets, by the name a config's `providers.<name>.preset` gives. Checked against
 * each provider's public documentation on 2026-12-02 (sources in the core's README).
 */
export const PROVIDER_PRESETS = Object.freeze({
  openrouter: {
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    headers: {
      'HTTP-Referer': 'https://github.com/switchyard-dev/switchyard',
      'X-OpenRouter-Title': 'Switchyard',
    },
    fee: { percent: '5.5' },
    local: false,
  },
  tokenmix: { label: 'TokenMix', baseURL: 'https://api.tokenmix.ai/v1', local: false },
  openai: { label: 'OpenAI', baseURL: 'https://api.openai.com/v1', local: false },
  deepseek: { label: 'DeepSeek', baseURL: 'https://api.deepseek.com', local: false },
  groq: { label: 'Groq', baseURL: 'https://api.groq.com/openai/v1', local: false },
  together: { label: 'Together AI', baseURL: 'https://api.together.ai/v1', local: false },
  mistral: { label: 'Mistral', baseURL: 'https://api.mistral.ai/v1', local: false },
  anthropic: {
    label: 'Anthropic (OpenAI SDK compatibility)',
    baseURL: 'https://api.anthropic.com/v1',
    auth: { header: 'x-api-key' },
    local: false,
  },
  ollama: { label: 'Ollama (local)', baseURL: 'http://localhost:11434/v1', local: true },
  vllm: { label: 'vLLM (local)', baseURL: 'http://localhost:8000/v1', local: true },
} satisfies Record<string, ProviderPreset>);

/** A preset's name: `openrouter`, `tokenmix`, `openai`, `deepseek`, `groq`, `together`, `mistral`, `anthropic`, `ollama`, `vllm`. */
export type ProviderPresetName = keyof typeof PROVIDER_PRESETS;

/** Whether `name` is a preset's name. */
export function isProviderPresetName(name: unknown): name is ProviderPresetName {
  return typeof name === 'string' && Object.hasOwn(PROVIDER_PRESETS, name);
}

/** The fields a preset may fill, as a provider section writes them. */
interface PresetTarget {
  preset?: string;
  baseURL?: string;
  auth?: ProviderAuth;
  headers?: Record<string, string>;
  fee?: FeeConfig;
}

/**
 * A provider section with its preset's fields filled in where the section leaves them out. Its
 * own headers win over the preset's by name, case-insensitively (a header set to `""` is not
 * sent). Applying it again gives the same section, so an expanded config validates unchanged.
 * A section without a (known) preset is returned as is.
 *
 * @example
 * applyProviderPreset({ preset: 'groq', apiKey: 'gsk-…' })
 * // { preset: 'groq', apiKey: 'gsk-…', baseURL: 'https://api.groq.com/openai/v1' }
 */
export function applyProviderPreset<T extends PresetTarget>(provider: T): T & { baseURL?: string } {
  if (!isProviderPresetName(provider.preset)) return provider;
  const preset: ProviderPreset = PROVIDER_PRESETS[provider.preset];
  const own = provider.headers ?? {};
  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(preset.headers ?? {})) {
    if (!ownNames.has(name.toLowerCase())) headers[name] = value;
  }
  Object.assign(headers, own);
  return {
    ...provider,
    baseURL: provider.baseURL ?? preset.baseURL,
    ...(provider.auth === undefined && preset.auth !== undefined ? { auth: preset.auth } : {}),
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    ...(provider.fee === undefined && preset.fee !== undefined ? { fee: { ...preset.fee } } : {}),
  };
}

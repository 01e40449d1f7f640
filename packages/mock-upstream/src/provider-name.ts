/** Display names OpenRouter shows in the `provider` field, by model author. */
const PROVIDER_BY_AUTHOR: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google AI Studio',
  'meta-llama': 'DeepInfra',
  deepseek: 'DeepSeek',
  mistralai: 'Mistral',
  perplexity: 'Perplexity',
  mock: 'Mock',
};

/** The provider display name for a model id (`meta-llama/…:free` is served by Chutes, as on OpenRouter). */
export function providerNameFor(modelId: string): string {
  if (modelId.endsWith(':free')) return 'Chutes';
  const author = modelId.split('/')[0] ?? modelId;
  return PROVIDER_BY_AUTHOR[author] ?? author.charAt(0).toUpperCase() + author.slice(1);
}

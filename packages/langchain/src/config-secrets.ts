import type { SwitchyardConfig } from '@switchyard/core';

/** The environment-style id of a secret, e.g. `SWITCHYARD_OPENROUTER_API_KEY`. */
const secretId = (...parts: string[]): string =>
  ['SWITCHYARD', ...parts]
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');

/**
 * LangChain's `lc_secrets` of a configuration: the path of every secret in the constructor
 * fields (provider keys, provider headers, gateway keys) and the id it is replaced with when the
 * model is serialised (LangSmith tracing, `toJSON()`). Undefined when some path could not be
 * written unambiguously (a name containing a dot): the config is then not serialised at all.
 */
export function configSecrets(config: SwitchyardConfig): Record<string, string> | undefined {
  const secrets: Record<string, string> = {};
  for (const [name, provider] of Object.entries(config.providers ?? {})) {
    if (name.includes('.')) return undefined;
    if (provider.apiKey !== undefined) secrets[`config.providers.${name}.apiKey`] = secretId(name, 'api_key');
    for (const header of Object.keys(provider.headers ?? {})) {
      if (header.includes('.')) return undefined;
      // Header values may carry credentials (`Authorization`, `x-api-key`): all are kept out.
      secrets[`config.providers.${name}.headers.${header}`] = secretId(name, 'header', header);
    }
  }
  (config.keys ?? []).forEach((key, index) => {
    secrets[`config.keys.${index}.key`] = secretId('gateway_key', key.name);
  });
  return secrets;
}

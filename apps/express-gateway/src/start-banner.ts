import type { SwitchyardConfig } from '@switchyard/core';

/** What the start-up banner shows. */
export interface BannerInput {
  /** `http://HOST:PORT`. */
  url: string;
  /** Where the configuration came from. */
  description: string;
  /** The key the snippets send. */
  key: string;
  /** True when no key is configured. */
  open: boolean;
  /** Routes and aliases a request may name. */
  models: readonly string[];
  /**
   * The route or alias the snippets ask (`snippetModel` of the config); undefined when the config
   * has none, and the snippets then show a placeholder.
   */
  model: string | undefined;
  /** Where the admin key comes from, when there is one (the dashboard is on then). */
  adminKeySource?: string;
}

/** What the snippets name when the config has no route or alias: the user fills in a model id. */
const MODEL_PLACEHOLDER = '<a model id of your provider>';

/**
 * The route or alias the banner's snippets ask: `default` if the config has it, else its first
 * route, else its first alias; among those the first configured key may use, when it is limited
 * (or the first name it lists). Undefined when the config names none.
 */
export function snippetModel(config: SwitchyardConfig): string | undefined {
  const names = [...Object.keys(config.routes ?? {}), ...Object.keys(config.models ?? {})];
  const allowed = config.keys?.[0]?.routes;
  const usable = allowed === undefined ? names : names.filter((name) => allowed.includes(name));
  const candidates = usable.length > 0 ? usable : (allowed ?? []);
  return candidates.includes('default') ? 'default' : candidates[0];
}

/** The `curl` that asks `model` through the gateway (`-i` shows the trace headers). */
export function curlSnippet(input: { url: string; key: string; model: string | undefined }): string {
  const body = JSON.stringify({
    model: input.model ?? MODEL_PLACEHOLDER,
    messages: [{ role: 'user', content: 'Hello!' }],
  });
  return [
    `curl -i ${input.url}/v1/chat/completions \\`,
    `  -H 'Authorization: Bearer ${input.key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

/** The same request with the official `openai` SDK. */
export function sdkSnippet(input: { url: string; key: string; model: string | undefined }): string {
  const model = input.model ?? MODEL_PLACEHOLDER;
  return [
    `import OpenAI from 'openai';`,
    ``,
    `const client = new OpenAI({ baseURL: '${input.url}/v1', apiKey: '${input.key}' });`,
    `const { data, response } = await client.chat.completions`,
    `  .create({ model: '${model}', messages: [{ role: 'user', content: 'Hello!' }] })`,
    `  .withResponse();`,
    `console.log(data.choices[0].message.content);`,
    `console.log(response.headers.get('x-switchyard-model'), response.headers.get('x-switchyard-cost'));`,
  ].join('\n');
}

/** The `/summarize` example route (an Express handler calling LLMs through `req.switchyard`). */
export function summarizeSnippet(input: { url: string; key: string }): string {
  const body = JSON.stringify({
    text: 'The meeting moved to Tuesday. Alice presents the budget. Bob brings the numbers.',
  });
  return [
    `curl ${input.url}/summarize \\`,
    `  -H 'Authorization: Bearer ${input.key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

const OPEN_WARNING = [
  '!!! WARNING: this gateway is OPEN: no `keys` are configured, so anyone who can reach it can',
  '!!! spend your provider credits. Add a `keys` section to the configuration before exposing it.',
].join('\n');

/** The text printed at start-up: address, configuration, routes, and ready-to-paste snippets. */
export function startBanner(input: BannerInput): string {
  return [
    `Switchyard gateway listening on ${input.url}`,
    `  OpenAI base URL: ${input.url}/v1`,
    `  configuration:   ${input.description}`,
    `  models:          ${input.models.length > 0 ? input.models.join(', ') : 'no routes or aliases: name a model id of a provider'}`,
    ...(input.adminKeySource === undefined
      ? []
      : [`  dashboard:       ${input.url}/dashboard/ (log in with the admin key, ${input.adminKeySource})`]),
    ...(input.open ? ['', OPEN_WARNING] : []),
    '',
    'Try it with curl:',
    '',
    curlSnippet(input),
    '',
    'or with the openai SDK (npm i openai):',
    '',
    sdkSnippet(input),
    '',
    'An Express route calling LLMs through req.switchyard (cheap-first cascade, zod-validated):',
    '',
    summarizeSnippet(input),
    '',
    'Ctrl-C stops the gateway (in-flight requests finish first).',
    '',
  ].join('\n');
}

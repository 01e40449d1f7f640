import { type CatalogModel, loadConfig, type SwitchyardConfig } from '@switchyard/core';
import { DEMO_KEY, startEmbeddedDefault } from './embedded-default.js';
import { openRouterDefault } from './openrouter-default.js';
import { snippetModel } from './start-banner.js';

/** What the gateway starts with, and where it came from. */
export interface Startup {
  config: SwitchyardConfig;
  catalog?: readonly CatalogModel[];
  /** `file` (SWITCHYARD_CONFIG), `openrouter` (OPENROUTER_API_KEY) or `embedded` (the mock). */
  source: 'file' | 'openrouter' | 'embedded';
  /** One line for the start-up banner. */
  description: string;
  /** The key the printed snippets use (the demo key, or the first configured key's name hint). */
  snippetKey: string;
  /** The route or alias the printed snippets ask, one the config has (undefined: it has none). */
  snippetModel: string | undefined;
  /** The route `/summarize` calls: `smart` (a cheap-first cascade) when the config has it. */
  summarizeModel: string;
  /** Stops what the start-up started (the embedded mock). */
  close(): Promise<void>;
}

/** Environment variables the gateway reads. */
export interface GatewayEnvironment {
  SWITCHYARD_CONFIG?: string;
  OPENROUTER_API_KEY?: string;
  PORT?: string;
  HOST?: string;
  [name: string]: string | undefined;
}

const nothing = async (): Promise<void> => undefined;

/** The models the start-up shows and `/summarize` uses, from what the config has. */
function modelsOf(config: SwitchyardConfig): Pick<Startup, 'snippetModel' | 'summarizeModel'> {
  const model = snippetModel(config);
  const smart = config.routes?.smart !== undefined || config.models?.smart !== undefined;
  return { snippetModel: model, summarizeModel: smart ? 'smart' : (model ?? 'smart') };
}

/**
 * Chooses the configuration: `SWITCHYARD_CONFIG=<file>` (JSON or YAML, `${NAME}` interpolated from
 * the environment), else OpenRouter when `OPENROUTER_API_KEY` is set, else the embedded default.
 * Throws core's `ConfigError` (listing every issue) for a bad file.
 */
export async function resolveStartup(environment: GatewayEnvironment): Promise<Startup> {
  const file = environment.SWITCHYARD_CONFIG?.trim();
  if (file) {
    const config = await loadConfig(file, { env: environment });
    return {
      config,
      source: 'file',
      description: `configuration from ${file}`,
      snippetKey: config.keys?.length ? '<your gateway key>' : 'anything',
      ...modelsOf(config),
      close: nothing,
    };
  }
  const openRouterKey = environment.OPENROUTER_API_KEY?.trim();
  if (openRouterKey) {
    const config = openRouterDefault(openRouterKey);
    return {
      config,
      source: 'openrouter',
      description: 'OpenRouter (OPENROUTER_API_KEY is set, no SWITCHYARD_CONFIG)',
      snippetKey: 'anything',
      ...modelsOf(config),
      close: nothing,
    };
  }
  const embedded = await startEmbeddedDefault();
  return {
    config: embedded.config,
    catalog: embedded.catalog,
    source: 'embedded',
    description: `the embedded default: a mock upstream at ${embedded.mock.url} (no real provider is called)`,
    snippetKey: DEMO_KEY,
    ...modelsOf(embedded.config),
    close: () => embedded.mock.close(),
  };
}

/** The address from `PORT` and `HOST` (default 127.0.0.1:8787); throws on a bad port. */
export function resolveAddress(environment: GatewayEnvironment): { port: number; host: string } {
  const text = environment.PORT?.trim() || '8787';
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${text}"`);
  }
  return { port, host: environment.HOST?.trim() || '127.0.0.1' };
}

/** Whether `/metrics` is served: `SWITCHYARD_METRICS` `on` (the default) or `off`; throws on another value. */
export function resolveMetrics(environment: GatewayEnvironment): boolean {
  const value = environment.SWITCHYARD_METRICS?.trim().toLowerCase() || 'on';
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new Error(`SWITCHYARD_METRICS must be on or off, got "${environment.SWITCHYARD_METRICS}"`);
}

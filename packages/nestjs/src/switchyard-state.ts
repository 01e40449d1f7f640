import {
  createRouter,
  loadConfig,
  type Router,
  type SwitchyardConfig,
  validateConfig,
} from '@switchyard/core';
import type { SwitchyardModuleOptions } from './switchyard-module-options.js';

/** What the module builds once from its options and shares between its providers. */
export interface SwitchyardState {
  readonly router: Router;
  /** The validated configuration (read from its file when the options named one). */
  readonly config: SwitchyardConfig;
  readonly options: SwitchyardModuleOptions;
}

/** Reads and validates the configuration, then creates the router. */
export async function createSwitchyardState(options: SwitchyardModuleOptions): Promise<SwitchyardState> {
  const config =
    typeof options.config === 'string' ? await loadConfig(options.config) : validateConfig(options.config);
  const router = createRouter({ ...options.router, config });
  return { router, config, options };
}

import type { SwitchyardModuleOptions } from './switchyard-module-options.js';

/**
 * A class that makes the module's options, for `forRootAsync({ useClass })` or `{ useExisting }`.
 * @example
 * @Injectable()
 * class SwitchyardConfigService implements SwitchyardOptionsFactory {
 *   constructor(private readonly env: ConfigService) {}
 *   createSwitchyardOptions() { return { config: this.env.getOrThrow('SWITCHYARD_CONFIG') }; }
 * }
 */
export interface SwitchyardOptionsFactory {
  createSwitchyardOptions(): SwitchyardModuleOptions | Promise<SwitchyardModuleOptions>;
}

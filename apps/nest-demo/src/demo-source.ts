import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { loadConfig, type SwitchyardConfig } from '@switchyard/core';
import { startEmbeddedUpstream } from '@switchyard/demo-kit';
import type { MockUpstream } from '@switchyard/mock-upstream';

/** Where the demo's configuration came from, and the embedded upstream when it runs one. */
export interface DemoSource {
  config: SwitchyardConfig;
  /** `embedded mock upstream`, `config <file>` or `given config`. */
  description: string;
  /** The in-process mock upstream of the embedded default. */
  mock: MockUpstream | undefined;
}

/** Injection token of the {@link DemoSource}. */
export const DEMO_SOURCE = Symbol('demo source');

/**
 * Resolves the configuration: a given object, a file (`SWITCHYARD_CONFIG`, read by the core's
 * `loadConfig`), or nothing, which starts the embedded default.
 */
export async function resolveDemoSource(config: SwitchyardConfig | string | undefined): Promise<DemoSource> {
  if (typeof config === 'string') {
    return { config: await loadConfig(config), description: `config ${config}`, mock: undefined };
  }
  if (config !== undefined) return { config, description: 'given config', mock: undefined };
  const embedded = await startEmbeddedUpstream();
  return { config: embedded.config, description: 'embedded mock upstream', mock: embedded.mock };
}

/** Stops the embedded upstream with the app. */
@Injectable()
export class EmbeddedUpstreamCloser implements OnApplicationShutdown {
  constructor(@Inject(DEMO_SOURCE) private readonly source: DemoSource) {}

  async onApplicationShutdown(): Promise<void> {
    await this.source.mock?.close();
  }
}

import { BUNDLED_CATALOG, estimateRequest, type SwitchyardConfig } from '@switchyard/core';
import { plainRequest } from './probe-requests.js';

/** A route to probe and its model targets. */
export interface PlannedRoute {
  route: string;
  targets: Array<{ target: string; provider: string; model: string; contextLength: number | undefined }>;
  /** Why the probe passes over the route (it serves embeddings), when it does. */
  passedOver?: string;
}

/** The catalog the router uses with this config: the bundled snapshot unless it is turned off. */
export function catalogOf(config: SwitchyardConfig) {
  return config.bundledCatalog === false ? [] : BUNDLED_CATALOG.models;
}

/**
 * The routes to probe (all of the config's when `routes` is empty) and each one's model targets;
 * a route whose every target is an alias of `type: embedding` is marked `passedOver`. Throws an
 * `Error` naming an unknown route and the known ones.
 */
export function planProbe(config: SwitchyardConfig, routes: readonly string[] = []): PlannedRoute[] {
  const known = Object.keys(config.routes ?? {});
  if (known.length === 0) throw new Error('the configuration has no routes to probe');
  const chosen = routes.length === 0 ? known : [...new Set(routes)];
  const unknown = chosen.find((route) => !known.includes(route));
  if (unknown !== undefined) throw new Error(`unknown route "${unknown}"; known: ${known.join(', ')}`);
  return chosen.map((route) => {
    const targets = estimateRequest({ config, catalog: catalogOf(config), request: plainRequest(route) }).map(
      (estimate) => ({
        target: estimate.target,
        provider: estimate.provider,
        model: estimate.model,
        contextLength: estimate.contextLength,
      }),
    );
    // Chat checks say nothing of an embeddings route (its aliases say `type: embedding`).
    const embeddings = targets.every((target) => config.models?.[target.target]?.type === 'embedding');
    return embeddings
      ? { route, targets, passedOver: 'serves embeddings (type: embedding); the probe checks chat' }
      : { route, targets };
  });
}

import type { RouteCacheConfig, SwitchyardConfig } from '../config/config-types.js';
import { CONFIG_DEFAULTS } from '../config/resolve-config.js';
import type { Target } from '../routing/target.js';

/** How one route's answers are cached, every default filled in. */
export interface CachePolicy {
  readonly ttlMs: number;
  readonly scope: 'key' | 'global';
  readonly nondeterministic: boolean;
  readonly countHitsInLimits: boolean;
  readonly maxEntryBytes: number;
}

/** The cache policy of each request, by the route (or alias, or model id) it names. */
export interface CachePolicies {
  /** True when no route caches: the router then builds no cache at all. */
  readonly empty: boolean;
  /** The policy of a request whose `model` resolved to `root`; undefined: not cached. */
  of(root: Target): CachePolicy | undefined;
}

function resolvePolicy(given: RouteCacheConfig, base: CachePolicy | undefined): CachePolicy {
  const defaults = CONFIG_DEFAULTS.cache;
  return Object.freeze({
    ttlMs: (given.ttlSeconds ?? (base === undefined ? defaults.ttlSeconds : base.ttlMs / 1000)) * 1000,
    scope: given.scope ?? base?.scope ?? defaults.scope,
    nondeterministic: given.nondeterministic ?? base?.nondeterministic ?? defaults.nondeterministic,
    countHitsInLimits: given.countHitsInLimits ?? base?.countHitsInLimits ?? defaults.countHitsInLimits,
    maxEntryBytes: given.maxEntryBytes ?? base?.maxEntryBytes ?? defaults.maxEntryBytes,
  });
}

/**
 * Resolves the top-level `cache` and each route's `cache` once: a route's own settings win field by
 * field over the top-level ones (which need not be set), `false` turns a route off. The route a
 * request names decides (not the routes nested in it); an alias, a raw model id and a `models`
 * list follow the top-level setting.
 */
export function createCachePolicies(config: SwitchyardConfig): CachePolicies {
  const top =
    config.cache === undefined || config.cache === false ? undefined : resolvePolicy(config.cache, undefined);
  const routes = new Map<string, CachePolicy | undefined>();
  for (const [name, route] of Object.entries(config.routes ?? {})) {
    // A conditional route picks by the caller and the headers, which an answer's key does not hold.
    if (route.strategy === 'conditional') routes.set(name, undefined);
    else if (route.cache === undefined) routes.set(name, top);
    else routes.set(name, route.cache === false ? undefined : resolvePolicy(route.cache, top));
  }
  const empty = top === undefined && [...routes.values()].every((policy) => policy === undefined);
  return {
    empty,
    of(root) {
      if (root.kind === 'route' && routes.has(root.name)) return routes.get(root.name);
      return top;
    },
  };
}

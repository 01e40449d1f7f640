import type { Clock } from '../clock.js';
import type { SwitchyardConfig } from '../config/config-types.js';
import { CONFIG_DEFAULTS } from '../config/resolve-config.js';
import type { RateLimitGuard } from '../spend/rate-limit-guard.js';
import type { SwitchyardStore } from '../store/switchyard-store.js';
import type { AnswerCache } from './answer-cache.js';
import { createCachePolicies } from './cache-policy.js';
import { createMemoryAnswerCache } from './memory-answer-cache.js';
import { createResponseCache, type ResponseCache } from './response-cache.js';

/**
 * The router's answer cache, when the config turns one on anywhere: over the given cache, else
 * the store's (a fleet's, in Redis), else a new LRU in memory of `cache.maxBytes`. Undefined when
 * no route caches, so an uncached router does no cache work at all.
 */
export function buildResponseCache(input: {
  config: SwitchyardConfig;
  store: SwitchyardStore;
  clock: Clock;
  limits: RateLimitGuard;
  cache?: AnswerCache;
}): ResponseCache | undefined {
  const policies = createCachePolicies(input.config);
  if (policies.empty) return undefined;
  const top = input.config.cache === false ? undefined : input.config.cache;
  const store =
    input.cache ??
    input.store.cache ??
    createMemoryAnswerCache({
      maxBytes: top?.maxBytes ?? CONFIG_DEFAULTS.cache.maxBytes,
      clock: input.clock,
    });
  return createResponseCache({ policies, store, limits: input.limits });
}

import type { ModelTarget } from '../routing/target.js';
import { type MergedPolicy, mergePolicies, type PolicyLayer } from './merge-policies.js';
import type { ProviderPolicy } from './provider-policy.js';

const NONE: readonly string[] = Object.freeze([]);

/** The policy of one attempt: merged, and the `provider` JSON to send in its place (when it must change). */
export interface AttemptPolicy extends MergedPolicy {
  /**
   * The `provider` object's JSON to send instead of the request's own; undefined: send the body as
   * the request gave it (no config layer, or a provider that does not understand the object).
   */
  readonly providerJson: string | undefined;
}

/**
 * The provider policy an attempt on `target` runs under: the call's (a key's), the enclosing
 * routes', the alias's and the request's, merged by `mergePolicies`. Undefined when no layer sets
 * one: a request without policies costs one check.
 */
export function targetPolicy(input: {
  key: ProviderPolicy | undefined;
  routes: readonly ProviderPolicy[];
  target: ModelTarget;
  request: ProviderPolicy | undefined;
}): AttemptPolicy | undefined {
  const { key, routes, target, request } = input;
  if (key === undefined && routes.length === 0 && target.policy === undefined) {
    if (request === undefined) return undefined;
    return { policy: request as MergedPolicy['policy'], tightened: NONE, providerJson: undefined };
  }
  const layers: PolicyLayer[] = [];
  if (key !== undefined) layers.push({ policy: key });
  for (const policy of routes) layers.push({ policy });
  if (target.policy !== undefined) layers.push({ policy: target.policy });
  if (request !== undefined) layers.push({ policy: request, fromRequest: true });
  const merged = mergePolicies(layers);
  return {
    policy: merged.policy,
    tightened: merged.tightened,
    providerJson: target.understandsPreferences ? JSON.stringify(merged.policy) : undefined,
  };
}

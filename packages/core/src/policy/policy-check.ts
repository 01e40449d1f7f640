import { providerSlug } from './merge-policies.js';
import type { ProviderPolicy } from './provider-policy.js';

/** Why a target cannot serve under a provider policy, found before calling it. */
export type PolicySkipReason = 'policy:data_collection' | 'policy:zdr' | 'policy:only' | 'policy:ignore';

/**
 * Why a target cannot honour a policy, or undefined when it can. A provider that understands
 * OpenRouter's `provider` object (`providers.<name>.providerPreferences`) honours every field, unless
 * the layers' `only` lists have nothing in common (no provider may serve). Any other provider cannot
 * promise `data_collection: deny`, `zdr: true`, nor choose among upstream providers (`only`, a
 * non-empty `ignore`): the target is passed over. Preferences it cannot apply (`order`, `sort`,
 * `quantizations`, `max_price`, `require_parameters`) do not exclude it.
 */
export function policySkipReason(
  policy: ProviderPolicy,
  understandsPreferences: boolean,
): PolicySkipReason | undefined {
  if (understandsPreferences)
    return policy.only !== undefined && policy.only.length === 0 ? 'policy:only' : undefined;
  if (policy.data_collection === 'deny') return 'policy:data_collection';
  if (policy.zdr === true) return 'policy:zdr';
  if (policy.only !== undefined) return 'policy:only';
  if (policy.ignore !== undefined && policy.ignore.length > 0) return 'policy:ignore';
  return undefined;
}

/**
 * What is wrong with the upstream provider that served (OpenRouter's `provider` display name)
 * under a policy: outside `only`, or inside `ignore`; undefined when it is allowed, or when the
 * answer does not name one (nothing to check). Names compare without case and punctuation
 * (`Google AI Studio` is the slug `google-ai-studio`).
 * @example servedProviderProblem({ ignore: ['deepinfra'] }, 'DeepInfra') // 'served by "DeepInfra", which the policy ignores'
 */
export function servedProviderProblem(
  policy: ProviderPolicy,
  served: string | undefined,
): string | undefined {
  if (served === undefined || served === '') return undefined;
  const slug = providerSlug(served);
  if (policy.ignore?.some((name) => providerSlug(name) === slug) === true)
    return `served by "${served}", which the provider policy ignores`;
  if (policy.only !== undefined && !policy.only.some((name) => providerSlug(name) === slug))
    return `served by "${served}", outside the provider policy's only: [${policy.only.join(', ')}]`;
  return undefined;
}

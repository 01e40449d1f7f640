import { highestInputPrice, highestOutputPrice } from '../pricing/model-pricing.js';
import type { Picodollars } from '../pricing/money.js';
import type { RequestProfile } from '../routing/request-profile.js';
import type { ModelTarget } from '../routing/target.js';
import type { FeeSchedule } from './fee-schedule.js';

/** The most an attempt on a target can cost, from a real token count of the prompt. */
export interface WorstCase {
  promptTokens: number;
  /** `max_tokens`, else the model's maximum completion, else what the context leaves. */
  completionTokens: number | undefined;
  /** Token cost + fee; undefined when the target is unpriced or the completion unbounded. */
  cost: Picodollars | undefined;
}

/**
 * The worst case of an attempt: the prompt by the tokenizer plus `max_tokens` (or the model's
 * maximum completion when unset: the cause of OpenRouter's surprise 402s), priced, fee included.
 * Every output token is priced at the model's highest output rate (a reasoning model's thinking
 * tokens count within `max_tokens` and may cost more than completion tokens), and every prompt
 * token at the cache-write rate when the request carries `cache_control` and that rate is higher.
 */
export function worstCase(options: {
  target: ModelTarget;
  profile: RequestProfile;
  fees: FeeSchedule;
}): WorstCase {
  const { target, profile } = options;
  const promptTokens = profile.promptTokens();
  const completionTokens =
    profile.maxTokens ??
    target.maxCompletionTokens ??
    (target.contextLength === undefined ? undefined : Math.max(0, target.contextLength - promptTokens));
  if (target.pricing === undefined || completionTokens === undefined)
    return { promptTokens, completionTokens, cost: undefined };
  const { pricing } = target;
  const tokenCost =
    BigInt(promptTokens) * highestInputPrice(pricing, { writesCache: profile.cacheControl }) +
    BigInt(completionTokens) * highestOutputPrice(pricing) +
    pricing.request;
  return {
    promptTokens,
    completionTokens,
    cost: tokenCost + options.fees.estimate({ provider: target.provider, tokenCost }),
  };
}

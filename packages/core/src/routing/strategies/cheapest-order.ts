import type { RequestProfile } from '../request-profile.js';
import type { Target } from '../target.js';

/** Completion tokens assumed for ranking when the request sets no `max_tokens`. */
const ASSUMED_COMPLETION_TOKENS = 500;

/**
 * The estimated cost of this request on a target in USD, as a float for ranking only (a route:
 * its cheapest target); undefined when unpriced. Money that is added up never comes from here.
 */
export function estimatedCost(target: Target, profile: RequestProfile): number | undefined {
  if (target.kind === 'route') {
    let best: number | undefined;
    for (const entry of target.entries) {
      const cost = estimatedCost(entry.target, profile);
      if (cost !== undefined && (best === undefined || cost < best)) best = cost;
    }
    return best;
  }
  const prices = target.rankPrices;
  if (prices === undefined) return undefined;
  return (
    profile.promptTokensApprox * prices.prompt +
    (profile.maxTokens ?? ASSUMED_COMPLETION_TOKENS) * prices.completion +
    prices.request
  );
}

/** Orders targets by the estimated cost of this request, cheapest first (stable); unpriced targets last. */
export function cheapestOrder(targets: readonly Target[], profile: RequestProfile): Target[] {
  const ranked = targets.map((target, index) => ({
    target,
    index,
    cost: estimatedCost(target, profile) ?? Number.POSITIVE_INFINITY,
  }));
  ranked.sort((a, b) => a.cost - b.cost || a.index - b.index);
  return ranked.map((entry) => entry.target);
}

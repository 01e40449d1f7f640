import type { Refusal } from '../spend/spend-policy.js';
import type { FilterReason } from './target-filter.js';

/**
 * Why the router passed over a target without calling it: a pre-call filter (context window,
 * capability, completion bound, open breaker) or the spend policy (ceiling, unknown cost, budget,
 * rate limit).
 */
export type SkipReason = FilterReason | Refusal['reason'];

import type { PolicySkipReason } from '../policy/policy-check.js';
import type { Refusal } from '../spend/spend-policy.js';
import type { FilterReason } from './target-filter.js';

/**
 * Why the router passed over a target without calling it: a pre-call filter (context window,
 * capability, completion bound, open breaker), the spend policy (ceiling, unknown cost, budget,
 * rate limit), or the request's retry budget (`retry_budget`: its attempts are spent;
 * `retry_after`: in a later round, the target's `Retry-After` was not up yet), a provider policy
 * its provider cannot honour (`policy:zdr`, ...), or a name of a request's `models` list that is
 * no route, alias or model (`unknown_model`).
 */
export type SkipReason =
  | FilterReason
  | Refusal['reason']
  | 'retry_budget'
  | 'retry_after'
  | PolicySkipReason
  | 'unknown_model';

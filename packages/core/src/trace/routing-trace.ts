import type { OutcomeCode } from '../errors/outcome-codes.js';
import type { ProviderPolicy } from '../policy/provider-policy.js';
import type { Operation } from '../routing/operation.js';
import type { SkipReason } from '../routing/skip-reason.js';
import type { CostBasis } from '../spend/attempt-cost.js';
import type { Door } from './door.js';

/** Token usage as the upstream reported it (OpenAI's shape plus OpenRouter's `cost`). */
export interface UsageReport {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the provider's cache, when reported. */
  cachedTokens: number;
  /** Prompt tokens written to the provider's cache, when reported. */
  cacheWriteTokens: number;
  /** Completion tokens spent on reasoning, when reported. */
  reasoningTokens: number;
  /** The upstream's own figure of the cost in USD (OpenRouter's `usage.cost`), when reported. */
  reportedCost: number | undefined;
}

/** How one attempt ended: `success`, the outcome code of its failure, or `pending` while it runs. */
export type AttemptOutcome = 'pending' | 'success' | OutcomeCode;

/** One call to one upstream target. */
export interface AttemptTrace {
  /** Position of this attempt in the request, from 0. */
  index: number;
  /** The target: an alias from config, or the raw model id. */
  target: string;
  /** Provider name from config. */
  provider: string;
  /** Model id sent upstream. */
  model: string;
  /** Model the upstream said served (`model` of its answer), when it answered. */
  returnedModel: string | undefined;
  /** How the attempt ended. */
  outcome: AttemptOutcome;
  /** HTTP status of the upstream's answer, when it answered. */
  status: number | undefined;
  /** Why it failed (secrets removed); undefined on success. */
  message: string | undefined;
  /** Retry number on the same target: 0 for the first try. */
  retry: number;
  /** The round of the request's chain this attempt ran in, from 1 (`retry.rounds`). */
  round: number;
  /** Attempts the request could still start once this one had started (`retry.maxRequestAttempts`). */
  attemptsLeft: number;
  /** Milliseconds from sending the request to its outcome (for streams: to the last chunk). */
  latencyMs: number;
  /** Milliseconds from sending the request to the first content chunk (streams only). */
  firstChunkMs: number | undefined;
  /** Usage the upstream reported, when it did. */
  usage: UsageReport | undefined;
  /** Cost of this attempt in USD as an exact decimal string: token cost + fee ("0" when unknown or free). */
  costUsd: string;
  /** Token cost from catalog prices (or the reported cost, capped, when the model is unpriced). */
  tokenCostUsd: string;
  /** The provider's platform fee on the token cost. */
  feeUsd: string;
  /** The upstream's own figure (`usage.cost`), when reported. */
  reportedCostUsd: string | undefined;
  /** True when reported and computed costs differ beyond `costCheck.tolerance`, or the reported one was implausible. */
  costMismatch: boolean;
  /** The worst case reserved before the call (when budgets, limits or a ceiling asked for it). */
  worstCaseUsd: string | undefined;
  /** True when the cost is an estimate (no usage was reported, e.g. an aborted hedge loser). */
  costEstimated: boolean;
  /**
   * What the cost rests on: the sent model's prices, the prices of the model that served instead
   * (`served_model`: the upstream bills what ran), an unknown substitute (`served_unknown`), the
   * reported cost, an estimate, or nothing (`none`).
   */
  costBasis: CostBasis;
  /** When the attempt was priced as the model that served instead: the sent model's token cost. */
  sentModelCostUsd: string | undefined;
  /** True when this attempt lost a hedge race and was aborted. */
  hedgeLoser: boolean;
  /** The upstream generation id (`X-Generation-Id` or the answer's `id`), when known. */
  generationId: string | undefined;
  /** OpenRouter's display name of the provider that served (the answer's `provider`), when given. */
  upstreamProvider: string | undefined;
  /**
   * The provider policy this attempt ran under (key, routes, alias and request merged), when any
   * layer set one; sent upstream as `provider` where the provider understands it.
   */
  policy?: ProviderPolicy;
}

/** Which rule of a `conditional` route picked the target. */
export interface MatchedRule {
  /** The conditional route. */
  route: string;
  /** The rule's position in `rules` (from 0), or `default` when none held. */
  rule: number | 'default';
  /** The target it picked. */
  target: string;
}

/** A target the router did not call, and why. */
export interface SkippedTarget {
  target: string;
  /**
   * `context_window`, `capability:<name>`, `max_completion_tokens`, `breaker_open`, `over_ceiling`,
   * `cost_unknown`, `budget`, `rate_limit`, `retry_after`, `retry_budget`, `chat_only` (a chat
   * model, for embeddings) or `embedding_only` (an embedding model, for a chat).
   */
  reason: SkipReason;
  /** A sentence saying why, when the reason alone does not (budgets, limits, ceilings). */
  detail?: string;
  /** When the target may serve again (rate limits, budgets). */
  retryAfterMs?: number;
}

/** Who called, as the adapter reported it. */
export interface TraceCaller {
  key: string | undefined;
  user: string | undefined;
  tags: readonly string[];
}

/** The target that produced the answer. */
export interface ServedTarget {
  target: string;
  provider: string;
  /** The model id sent upstream. */
  model: string;
  /** The model the upstream says served. */
  returnedModel: string;
  /** OpenRouter's display name of the underlying provider (its `provider` field), when given. */
  upstreamProvider: string | undefined;
}

/**
 * What the answer cache did for a request: served it (`hit`, nothing was sent upstream), looked and
 * found nothing or was told to refresh (`miss`: the answer is stored), or was not used (`bypass`:
 * `Cache-Control: no-store`, or a request that is not repeatable).
 */
export type CacheStatus = 'hit' | 'miss' | 'bypass';

/** Routing metadata attached to every result and every error. */
export interface RoutingTrace {
  /** Switchyard's id of this request. */
  id: string;
  /** The `model` the caller asked for. */
  requestedModel: string;
  /** What the call asked for: a chat completion (`router.chat`, `router.stream`) or embeddings (`router.embed`). */
  operation: Operation;
  /** The route that handled it, or undefined for an alias or raw model id. */
  route: string | undefined;
  /** Strategy of that route. */
  strategy: string | undefined;
  /** Who served, once an attempt succeeded. */
  served: ServedTarget | undefined;
  /** True when the upstream served another model than the one sent (auto router, alias, substitution). */
  routeSurprise: boolean;
  /**
   * True when an attempt was served by an upstream provider its policy excludes (outside `only`,
   * inside `ignore`): a `policy_violation` that fell back.
   */
  policyViolation: boolean;
  /**
   * Provider-policy fields where the request asked for less than config requires and config won
   * (`data_collection`, `zdr`, `only`, ...); absent when none.
   */
  policyTightened?: string[];
  /** The rule each `conditional` route on the way matched, outermost first; absent when none. */
  rules?: MatchedRule[];
  /** True when a failed attempt moved the request to another target. */
  fallback: boolean;
  /** True when a cascade escalated because a validator rejected an answer. */
  escalated: boolean;
  /** True when a hedge started a second target in parallel. */
  hedged: boolean;
  /** Every attempt, in the order they started. */
  attempts: AttemptTrace[];
  /** Targets the router passed over before calling them. */
  skipped: SkippedTarget[];
  /** Epoch milliseconds when the router received the request. */
  startedAt: number;
  /** Milliseconds from receipt to result (or to the end of the stream). */
  latencyMs: number;
  /** Who called. */
  caller: TraceCaller;
  /** The gateway door the request came in by; absent for a call made in code. */
  door?: Door;
  /** Sum of every attempt's cost in USD (fees included), exact decimal string. */
  costUsd: string;
  /** Sum of the platform fees within `costUsd`. */
  feeUsd: string;
  /** Sum of prompt tokens over every attempt. */
  promptTokens: number;
  /** Sum of completion tokens over every attempt. */
  completionTokens: number;
  /** What the answer cache did; absent when the route has no cache. */
  cache?: CacheStatus;
  /** On a cache hit: what the cached answer cost when it was made (exact USD), saved this time. */
  savedUsd?: string;
}

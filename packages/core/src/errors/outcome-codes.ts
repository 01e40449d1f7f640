/**
 * The closed set of outcome codes. Every failure Switchyard reports, from one upstream attempt or
 * from the router as a whole, carries exactly one of these.
 */
export const OUTCOME_CODES = [
  'invalid_request',
  'auth',
  'payment_required',
  'moderation',
  'not_supported',
  'context_length',
  'rate_limited',
  'upstream_unavailable',
  'timeout',
  'network',
  'invalid_response',
  'upstream_too_large',
  'bad_output',
  'policy_violation',
  'aborted',
  'deadline_exceeded',
  'no_route',
  'all_targets_failed',
  'stream_interrupted',
  'budget_exceeded',
  'cost_ceiling',
  'unpriced_model',
  'store_unavailable',
  'invalid_config',
] as const;

/** One of {@link OUTCOME_CODES}. */
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/**
 * What the router does after an attempt fails with a code:
 * - `retry`: try the same target again (backoff, `Retry-After`), up to `retry.maxAttempts`, then move on;
 * - `next`: move to the next target; a transient failure of the last target still standing is retried;
 * - `stop`: fail the whole request now.
 */
export type OutcomeAction = 'retry' | 'next' | 'stop';

/** The HTTP status and default action of one outcome code. */
export interface OutcomeRule {
  /** HTTP status an adapter answers with when the request fails with this code. */
  readonly status: number;
  /** What the router does after an attempt fails with this code (overridable in config `outcomes`). */
  readonly action: OutcomeAction;
  /** Whether the failure is transient: worth retrying on the same target when nothing else can serve. */
  readonly transient: boolean;
  /** Whether the counted failure says something about the target's health (feeds its circuit breaker). */
  readonly tripsBreaker: boolean;
}

/** The one table from outcome code to HTTP status and default action. */
export const OUTCOME_RULES: Readonly<Record<OutcomeCode, OutcomeRule>> = {
  invalid_request: { status: 400, action: 'stop', transient: false, tripsBreaker: false },
  auth: { status: 502, action: 'next', transient: false, tripsBreaker: false },
  payment_required: { status: 502, action: 'next', transient: false, tripsBreaker: false },
  moderation: { status: 403, action: 'next', transient: false, tripsBreaker: false },
  not_supported: { status: 404, action: 'next', transient: false, tripsBreaker: false },
  context_length: { status: 400, action: 'next', transient: false, tripsBreaker: false },
  rate_limited: { status: 429, action: 'next', transient: true, tripsBreaker: false },
  upstream_unavailable: { status: 502, action: 'next', transient: true, tripsBreaker: true },
  timeout: { status: 504, action: 'next', transient: true, tripsBreaker: true },
  network: { status: 502, action: 'next', transient: true, tripsBreaker: true },
  invalid_response: { status: 502, action: 'next', transient: true, tripsBreaker: true },
  // Past `upstreamLimits` (answer, stream or SSE line size; stream duration). Not the target's
  // health: a caller may provoke a huge answer (a large `max_tokens`), so it never trips a breaker.
  upstream_too_large: { status: 502, action: 'next', transient: false, tripsBreaker: false },
  bad_output: { status: 502, action: 'next', transient: false, tripsBreaker: false },
  // The upstream served from a provider the provider policy excludes (outside `only`, in
  // `ignore`): its answer is not used, its cost is kept. Not the target's health.
  policy_violation: { status: 502, action: 'next', transient: false, tripsBreaker: false },
  aborted: { status: 499, action: 'stop', transient: false, tripsBreaker: false },
  deadline_exceeded: { status: 504, action: 'stop', transient: false, tripsBreaker: false },
  no_route: { status: 404, action: 'stop', transient: false, tripsBreaker: false },
  all_targets_failed: { status: 502, action: 'stop', transient: false, tripsBreaker: false },
  stream_interrupted: { status: 502, action: 'stop', transient: false, tripsBreaker: false },
  budget_exceeded: { status: 402, action: 'stop', transient: false, tripsBreaker: false },
  cost_ceiling: { status: 402, action: 'stop', transient: false, tripsBreaker: false },
  unpriced_model: { status: 402, action: 'stop', transient: false, tripsBreaker: false },
  store_unavailable: { status: 503, action: 'stop', transient: true, tripsBreaker: false },
  invalid_config: { status: 500, action: 'stop', transient: false, tripsBreaker: false },
};

/** Type guard for a string that names an outcome code. */
export function isOutcomeCode(value: unknown): value is OutcomeCode {
  return typeof value === 'string' && Object.hasOwn(OUTCOME_RULES, value);
}

import type { ResolvedRetry } from '../config/resolve-config.js';
import type { AttemptError } from '../errors/attempt-error.js';
import { OUTCOME_RULES, type OutcomeAction, type OutcomeCode } from '../errors/outcome-codes.js';
import type { ModelTarget, Target } from '../routing/target.js';

/** What a request's retry budget remembers of a model target whose last attempt failed. */
export interface FailedTarget {
  /** Monotonic ms before which the target asked not to be called again (its `Retry-After`). */
  readonly notBefore: number;
  /** Whether another round may call it: its failure was transient, or its action is `retry`. */
  readonly retryable: boolean;
}

/**
 * One request's retry budget: the rounds it may go around its chain, the attempts it may still
 * start, and how each target that failed ended. Lives on the request's execution.
 */
export interface RetryBudget {
  /** Passes over the chain this request may make. */
  readonly rounds: number;
  /** Attempts this request may start in all. */
  readonly maxAttempts: number;
  /** The pass running, from 1. */
  round: number;
  /** Attempts the request may still start. */
  attemptsLeft: number;
  /** Whether the request already said (one skip) that its budget is spent. */
  spentNoted: boolean;
  /** Model targets whose last attempt failed, by target. */
  readonly failed: Map<ModelTarget, FailedTarget>;
}

/**
 * Opens the budget of a request: its route's `retry` when the request names a route that sets
 * one, else the top-level settings.
 */
export function openRetryBudget(retry: ResolvedRetry, root: Target): RetryBudget {
  const own = root.kind === 'route' ? root.retry : undefined;
  const maxAttempts = own?.maxRequestAttempts ?? retry.maxRequestAttempts;
  return {
    rounds: own?.rounds ?? retry.rounds,
    maxAttempts,
    round: 1,
    attemptsLeft: maxAttempts,
    spentNoted: false,
    failed: new Map(),
  };
}

/** Whether a failure with `code` is worth calling the same target again in a later round. */
export function isRetryable(
  code: OutcomeCode,
  actions: Readonly<Record<OutcomeCode, OutcomeAction>>,
): boolean {
  const action = actions[code];
  return action === 'retry' || (action === 'next' && OUTCOME_RULES[code].transient);
}

/** Remembers how an attempt on `target` failed, and when the target said it may be called again. */
export function noteFailure(
  budget: RetryBudget,
  input: {
    target: ModelTarget;
    error: AttemptError;
    /** Monotonic ms now. */
    now: number;
    actions: Readonly<Record<OutcomeCode, OutcomeAction>>;
  },
): void {
  budget.failed.set(input.target, {
    notBefore: input.now + (input.error.retryAfterMs ?? 0),
    retryable: isRetryable(input.error.code, input.actions),
  });
}

/** Whether the request may still go around its chain once more (a later round could serve). */
export function anotherRoundLeft(budget: RetryBudget): boolean {
  return budget.round < budget.rounds && budget.attemptsLeft > 0;
}

/**
 * Whether a model target may be called in this round: `call`; `pass` silently (it failed in a way
 * no later round mends, and its attempt in the trace says so); or `skip` with a reason: the budget
 * is spent (said once per request), or its `Retry-After` is not up yet.
 */
export function roundPass(
  budget: RetryBudget,
  input: { target: ModelTarget; now: number },
):
  | { kind: 'call' }
  | { kind: 'pass' }
  | { kind: 'skip'; reason: 'retry_budget' | 'retry_after'; detail: string; retryAfterMs?: number } {
  if (budget.attemptsLeft <= 0) {
    if (budget.spentNoted) return { kind: 'pass' };
    budget.spentNoted = true;
    return {
      kind: 'skip',
      reason: 'retry_budget',
      detail: `the request's ${budget.maxAttempts} attempts are spent (retry.maxRequestAttempts)`,
    };
  }
  const failed = budget.failed.get(input.target);
  if (failed === undefined) return { kind: 'call' };
  if (!failed.retryable) return { kind: 'pass' };
  const waitMs = Math.ceil(failed.notBefore - input.now);
  if (waitMs > 0) {
    return {
      kind: 'skip',
      reason: 'retry_after',
      detail: `asked to wait ${waitMs} ms more (Retry-After) in round ${budget.round}`,
      retryAfterMs: waitMs,
    };
  }
  return { kind: 'call' };
}

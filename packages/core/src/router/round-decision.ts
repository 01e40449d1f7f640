import type { Random } from '../clock.js';
import type { ResolvedRetry } from '../config/resolve-config.js';
import { backoffDelay } from '../retry/backoff.js';
import type { RetryBudget } from './retry-budget.js';

/** Why a request does not go around its chain again. */
export type NoRoundReason = 'rounds' | 'attempts' | 'nothing_retryable' | 'deadline';

/**
 * Whether a request whose round ended without an answer goes around its chain again, and after
 * how long: the round's backoff (exponential, full jitter), or longer when targets worth calling
 * again asked to wait (`Retry-After`): before a round that is not the last, until the first of
 * them may be called (the others are passed over if their turn comes too early); before the last
 * round, until every one of them may be called, since no later round will come back to them.
 * Targets whose `Retry-After` ends at or past the deadline, or more than `retry.maxRetryAfterMs`
 * from now, do not count (they will be passed over). No round starts when the wait would reach the
 * deadline or exceed `retry.maxRetryAfterMs`.
 */
export function roundDecision(input: {
  budget: RetryBudget;
  /** Monotonic ms now. */
  now: number;
  /** Monotonic ms of the request's deadline. */
  deadlineAt: number;
  retry: Pick<ResolvedRetry, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>;
  random: Random;
}): { again: true; waitMs: number } | { again: false; reason: NoRoundReason } {
  const { budget, now, deadlineAt, retry } = input;
  if (budget.round >= budget.rounds) return { again: false, reason: 'rounds' };
  if (budget.attemptsLeft <= 0) return { again: false, reason: 'attempts' };
  const last = budget.round + 1 >= budget.rounds;
  let readyAt: number | undefined;
  for (const failed of budget.failed.values()) {
    if (
      !failed.retryable ||
      failed.notBefore >= deadlineAt ||
      failed.notBefore - now > retry.maxRetryAfterMs
    ) {
      continue;
    }
    if (readyAt === undefined) readyAt = failed.notBefore;
    else readyAt = last ? Math.max(readyAt, failed.notBefore) : Math.min(readyAt, failed.notBefore);
  }
  if (readyAt === undefined) return { again: false, reason: 'nothing_retryable' };
  const backoff = backoffDelay({
    retry: budget.round,
    baseDelayMs: retry.baseDelayMs,
    maxDelayMs: retry.maxDelayMs,
    random: input.random,
  });
  const waitMs = Math.max(backoff, Math.ceil(readyAt - now));
  if (waitMs > retry.maxRetryAfterMs || waitMs >= deadlineAt - now)
    return { again: false, reason: 'deadline' };
  return { again: true, waitMs };
}

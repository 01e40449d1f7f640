import type { Random } from '../clock.js';
import type { ResolvedRetry } from '../config/resolve-config.js';
import { backoffDelay } from '../retry/backoff.js';
import type { RetryBudget } from './retry-budget.js';

/** Why a request does not go around its chain again. */
export type NoRoundReason = 'rounds' | 'attempts' | 'nothing_retryable' | 'deadline';

/**
 * Whether a request whose round ended without an answer goes around its chain again, and after
 * how long: the round's backoff (exponential, full jitter), or longer when every target worth
 * calling again asked to wait (`Retry-After`), until the first of them may be called. Targets whose
 * `Retry-After` ends at or past the deadline do not count (they will be passed over). No round
 * starts when the wait would reach the deadline or exceed `retry.maxRetryAfterMs`.
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
  let readyAt: number | undefined;
  for (const failed of budget.failed.values()) {
    if (!failed.retryable || failed.notBefore >= deadlineAt) continue;
    readyAt = readyAt === undefined ? failed.notBefore : Math.min(readyAt, failed.notBefore);
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

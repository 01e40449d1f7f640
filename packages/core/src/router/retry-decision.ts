import type { AttemptError } from '../errors/attempt-error.js';
import { OUTCOME_RULES } from '../errors/outcome-codes.js';
import { backoffDelay } from '../retry/backoff.js';
import type { RouterSettings } from './router-settings.js';

/**
 * What to do after an attempt on a target failed: wait `waitMs` and try the same target again, or
 * give up on it (the route then moves on, or stops when the code's action is `stop`). A target is
 * retried when its outcome's action is `retry`, or when a transient failure hit the last target
 * standing; never past `retry.maxAttempts`, the request's attempt budget, a wait over
 * `retry.maxRetryAfterMs`, or the deadline.
 */
export function retryDecision(input: {
  error: AttemptError;
  /** Retries made on this target so far (0 after the first try). */
  retry: number;
  /** Attempts the request may still start (its retry budget, `retry.maxRequestAttempts`). */
  attemptsLeft: number;
  /** Whether another target could still serve. */
  hasAlternatives: boolean;
  /** Monotonic ms until the request's deadline. */
  remainingMs: number;
  settings: Pick<RouterSettings, 'actions' | 'retry' | 'random'>;
}): { retry: true; waitMs: number } | { retry: false } {
  const { error, settings } = input;
  const action = settings.actions[error.code];
  if (action === 'stop' || input.retry + 1 >= settings.retry.maxAttempts || input.attemptsLeft <= 0) {
    return { retry: false };
  }
  if (action === 'next' && !(OUTCOME_RULES[error.code].transient && !input.hasAlternatives)) {
    return { retry: false };
  }
  const waitMs =
    error.retryAfterMs ??
    backoffDelay({
      retry: input.retry + 1,
      baseDelayMs: settings.retry.baseDelayMs,
      maxDelayMs: settings.retry.maxDelayMs,
      random: settings.random,
    });
  if (waitMs > settings.retry.maxRetryAfterMs || waitMs >= input.remainingMs) return { retry: false };
  return { retry: true, waitMs };
}

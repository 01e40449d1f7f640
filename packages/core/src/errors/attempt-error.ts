import type { OutcomeCode } from './outcome-codes.js';
import { SwitchyardError } from './switchyard-error.js';

const ATTEMPT_ERROR_MARKER = Symbol.for('switchyard.attempt-error');

/** Options of an {@link AttemptError}. */
export interface AttemptErrorOptions {
  code: OutcomeCode;
  message: string;
  /** HTTP status the upstream answered with, when it answered. */
  upstreamStatus?: number;
  /** Milliseconds the upstream asked us to wait (`Retry-After`, `X-RateLimit-Reset`). */
  retryAfterMs?: number;
  /** The upstream's error metadata (moderation reasons, provider name, ...), secrets removed. */
  metadata?: Record<string, unknown>;
  cause?: unknown;
}

/** The failure of one upstream attempt, classified into an outcome code. */
export class AttemptError extends SwitchyardError<OutcomeCode> {
  /** HTTP status the upstream answered with, when it answered. */
  readonly upstreamStatus: number | undefined;
  /** The upstream's error metadata (moderation reasons, provider name, ...). */
  readonly metadata: Record<string, unknown> | undefined;

  constructor(options: AttemptErrorOptions) {
    super(options);
    this.name = 'AttemptError';
    Object.defineProperty(this, ATTEMPT_ERROR_MARKER, { value: true });
    this.upstreamStatus = options.upstreamStatus;
    this.metadata = options.metadata;
  }
  /** True for a AttemptError, even one from another copy of the package. */
  static override isInstance(value: unknown): value is AttemptError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[ATTEMPT_ERROR_MARKER] === true
    );
  }
}

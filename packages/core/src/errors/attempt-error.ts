import type { OutcomeCode } from './outcome-codes.js';
import { SwitchyardError } from './switchyard-error.js';

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
export class AttemptError extends SwitchyardError {
  /** HTTP status the upstream answered with, when it answered. */
  readonly upstreamStatus: number | undefined;
  /** The upstream's error metadata (moderation reasons, provider name, ...). */
  readonly metadata: Record<string, unknown> | undefined;

  constructor(options: AttemptErrorOptions) {
    super(options);
    this.name = 'AttemptError';
    this.upstreamStatus = options.upstreamStatus;
    this.metadata = options.metadata;
  }
}

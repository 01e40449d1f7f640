import { ERROR_RULES, type ErrorCode } from './error-codes.js';
import { isOutcomeCode, OUTCOME_RULES } from './outcome-codes.js';

const MARKER = Symbol.for('switchyard.error');

/** Options shared by every Switchyard error. */
export interface SwitchyardErrorOptions<Code extends ErrorCode = ErrorCode> {
  /** The error code; decides the HTTP status unless `status` is given. */
  code: Code;
  /** A message for humans. Never contains a secret: callers pass text through `redactSecrets` first. */
  message: string;
  /** HTTP status override; by default the status of `code` in `ERROR_RULES`. */
  status?: number;
  /**
   * Whether the message may be shown to the client.
   * @default true for a status below 500, a 502 or a 504
   */
  expose?: boolean;
  /** Extra HTTP headers an adapter should send with the error (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Milliseconds the caller should wait before trying again, when known. */
  retryAfterMs?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one base class of every error Switchyard throws. It has the shape of the `http-errors`
 * package (`status`, `statusCode`, `expose`, `headers`), so Express, Koa and Nest render it natively.
 */
export class SwitchyardError<Code extends ErrorCode = ErrorCode> extends Error {
  /** The error code: one of a closed set (`ERROR_CODES`). */
  readonly code: Code;
  /** HTTP status an adapter answers with. */
  readonly status: number;
  /** Whether the message may be shown to the client (true: it never holds a secret or internals). */
  readonly expose: boolean;
  /** HTTP headers to send with the error response. */
  readonly headers: Record<string, string>;
  /** Milliseconds the caller should wait before trying again, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(options: SwitchyardErrorOptions<Code>) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchyardError';
    this.code = options.code;
    this.status = options.status ?? ERROR_RULES[options.code].status;
    this.expose = options.expose ?? (this.status < 500 || this.status === 502 || this.status === 504);
    this.retryAfterMs = options.retryAfterMs;
    this.headers = { ...options.headers };
    if (options.retryAfterMs !== undefined && this.headers['retry-after'] === undefined) {
      this.headers['retry-after'] = String(Math.max(1, Math.ceil(options.retryAfterMs / 1000)));
    }
    Object.defineProperty(this, MARKER, { value: true });
  }

  /**
   * Whether trying again later may succeed (rate limits, outages, timeouts, network errors):
   * adapters use it so that their own retry loops never retry a 4xx answer.
   */
  get retryable(): boolean {
    const code: ErrorCode = this.code;
    return isOutcomeCode(code) && (OUTCOME_RULES[code].transient || code === 'all_targets_failed');
  }

  /** Alias of `status`, as `http-errors` has it. */
  get statusCode(): number {
    return this.status;
  }

  /** True for any Switchyard error, even one from another copy of the package. */
  static isInstance(value: unknown): value is SwitchyardError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

import { SwitchyardError } from './switchyard-error.js';

const MARKER = Symbol.for('switchyard.store-unavailable-error');

/**
 * The shared store (budgets, rate limits) did not answer and the store fails closed: the request
 * is refused with 503 rather than served unmetered.
 */
export class StoreUnavailableError extends SwitchyardError<'store_unavailable'> {
  constructor(options: { message: string; cause?: unknown }) {
    super({ code: 'store_unavailable', message: options.message, retryAfterMs: 1000, cause: options.cause });
    this.name = 'StoreUnavailableError';
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for a store error, even one from another copy of the package. */
  static override isInstance(value: unknown): value is StoreUnavailableError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

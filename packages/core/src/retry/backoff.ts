import type { Random } from '../clock.js';

/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Retry number, from 1 for the first retry. */
  retry: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: Random;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base * 2^(retry-1))].
 */
export function backoffDelay(options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, options.retry - 1));
  return Math.floor(options.random() * ceiling);
}

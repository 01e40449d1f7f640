import type { Clock } from '../clock.js';

/** State of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the breaker. */
  failureThreshold: number;
  /** Sliding window for counting failures, in ms. */
  windowMs: number;
  /** Time the breaker stays open before one probe may pass, in ms. */
  cooldownMs: number;
  clock: Clock;
}

/** A per-target circuit breaker: closed, open after N failures in a window, half-open after a cooldown. */
export interface CircuitBreaker {
  /** The state now (open turns half-open once the cooldown has passed). */
  state(): BreakerState;
  /**
   * Asks to send one request: always true when closed; in half-open, true for exactly one probe
   * at a time; false when open.
   */
  tryAcquire(): boolean;
  /** Reports a success: closes the breaker. */
  recordSuccess(): void;
  /** Reports a failure that says the target is unhealthy. */
  recordFailure(): void;
  /** Reports that an acquired request ended without telling anything (aborted): frees a probe slot. */
  release(): void;
  /** Opens the breaker because another replica did: it half-opens in `remainingMs`. */
  openFor(remainingMs: number): void;
  /** Closes the breaker because another replica did. */
  reset(): void;
  /** Whether failures were counted since the last success (or the breaker is not closed). */
  troubled(): boolean;
}

/** Creates a {@link CircuitBreaker}. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { failureThreshold, windowMs, cooldownMs, clock } = options;
  let failures: number[] = [];
  let openedAt: number | undefined;
  let probeInFlight = false;

  const state = (): BreakerState => {
    if (openedAt === undefined) return 'closed';
    return clock.monotonic() - openedAt >= cooldownMs ? 'half_open' : 'open';
  };
  const open = (): void => {
    openedAt = clock.monotonic();
    probeInFlight = false;
    failures = [];
  };

  return {
    state,
    tryAcquire() {
      const current = state();
      if (current === 'closed') return true;
      if (current === 'open' || probeInFlight) return false;
      probeInFlight = true;
      return true;
    },
    recordSuccess() {
      openedAt = undefined;
      probeInFlight = false;
      failures = [];
    },
    recordFailure() {
      if (openedAt !== undefined) {
        open();
        return;
      }
      const now = clock.monotonic();
      failures.push(now);
      while (failures.length > 0 && (failures[0] ?? now) <= now - windowMs) failures.shift();
      if (failures.length >= failureThreshold) open();
    },
    release() {
      probeInFlight = false;
    },
    openFor(remainingMs) {
      openedAt = clock.monotonic() - cooldownMs + Math.min(Math.max(0, remainingMs), cooldownMs);
      probeInFlight = false;
      failures = [];
    },
    reset() {
      openedAt = undefined;
      probeInFlight = false;
      failures = [];
    },
    troubled: () => openedAt !== undefined || failures.length > 0,
  };
}

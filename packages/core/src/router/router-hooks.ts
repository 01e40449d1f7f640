import type { RoutingError } from '../errors/routing-error.js';
import type { AttemptTrace, RoutingTrace } from '../trace/routing-trace.js';

/** A failed target the router moved on from. */
export interface FallbackEvent {
  /** The target that failed. */
  from: string;
  /** Its outcome code. */
  outcome: AttemptTrace['outcome'];
  /** True when a cascade escalated because a validator rejected the answer. */
  escalation: boolean;
  trace: RoutingTrace;
}

/**
 * Event hooks for logs, metrics and tracing. A hook that throws is ignored: it never changes the
 * routing.
 */
export interface RouterHooks {
  /** After every attempt, with its outcome, latency and cost. */
  onAttempt?(attempt: AttemptTrace, trace: RoutingTrace): void;
  /** When a failed target hands the request to the next one. */
  onFallback?(event: FallbackEvent): void;
  /** When a request succeeded (for a stream: when it ended). */
  onResult?(trace: RoutingTrace): void;
  /** When a request failed. */
  onError?(error: RoutingError): void;
}

/** Calls a hook, swallowing anything it throws. */
export function emit<A extends unknown[]>(hook: ((...args: A) => void) | undefined, ...args: A): void {
  if (hook === undefined) return;
  try {
    hook(...args);
  } catch {
    // A broken hook must not break routing.
  }
}

/** The router's hooks: those given to `createRouter`, and those observers added later. */
export interface HookSet {
  /** Tells every added observer, in the order they were added. */
  readonly hooks: Required<RouterHooks>;
  /** Adds an observer; returns what removes it. */
  add(observer: RouterHooks): () => void;
}

/** A {@link HookSet} starting with `initial`; a throwing observer never stops the next one. */
export function createHookSet(initial: RouterHooks | undefined): HookSet {
  let observers: readonly RouterHooks[] = initial === undefined ? [] : [initial];
  return {
    hooks: {
      onAttempt(attempt, trace) {
        for (const observer of observers) emit(observer.onAttempt, attempt, trace);
      },
      onFallback(event) {
        for (const observer of observers) emit(observer.onFallback, event);
      },
      onResult(trace) {
        for (const observer of observers) emit(observer.onResult, trace);
      },
      onError(error) {
        for (const observer of observers) emit(observer.onError, error);
      },
    },
    add(observer) {
      // Copied, not pushed: a hook running while an observer is added or removed keeps its list.
      observers = [...observers, observer];
      return () => {
        observers = observers.filter((added) => added !== observer);
      };
    },
  };
}

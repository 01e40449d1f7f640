import type { BudgetDenial } from '../spend/budget-guard.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import type { AttemptError } from './attempt-error.js';
import type { OutcomeCode } from './outcome-codes.js';
import { SwitchyardError } from './switchyard-error.js';

const ROUTING_ERROR_MARKER = Symbol.for('switchyard.routing-error');

/** Options of a {@link RoutingError}. */
export interface RoutingErrorOptions {
  code: OutcomeCode;
  message: string;
  /** The routing trace so far: every attempt with its outcome. */
  trace: RoutingTrace;
  /** The failure of the last attempt, when there was one. */
  lastError?: AttemptError;
  retryAfterMs?: number;
  /** For `budget_exceeded`: the budget, its spend and its reset time. */
  budget?: BudgetDenial;
  cause?: unknown;
}

/**
 * A request that the router could not serve: no route, every target failed, the deadline passed,
 * the caller aborted, or a stream broke after its first chunk. Carries the routing trace.
 */
export class RoutingError extends SwitchyardError<OutcomeCode> {
  /** The routing trace: which targets were tried, and how each attempt ended. */
  readonly trace: RoutingTrace;
  /** The failure of the last attempt, when there was one. */
  readonly lastError: AttemptError | undefined;
  /** For `budget_exceeded`: the budget, its spend and its reset time. */
  readonly budget: BudgetDenial | undefined;

  constructor(options: RoutingErrorOptions) {
    super(options);
    this.name = 'RoutingError';
    Object.defineProperty(this, ROUTING_ERROR_MARKER, { value: true });
    this.trace = options.trace;
    this.lastError = options.lastError;
    this.budget = options.budget;
  }
  /** True for a RoutingError, even one from another copy of the package. */
  static override isInstance(value: unknown): value is RoutingError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[ROUTING_ERROR_MARKER] === true
    );
  }

  /** The attempts' failures, one line each, secrets removed. */
  get attempts(): RoutingTrace['attempts'] {
    return this.trace.attempts;
  }
}

import type { Cancellation } from '../transport/cancel-signal.js';
import type { AnswerValidator } from '../validators/answer-validator.js';

/** Where one target runs within the routing tree. */
export interface Scope {
  /** Aborts this branch (the request's, or a hedge branch's). */
  readonly signal: Cancellation;
  /** Validators of the enclosing routes and of the call. */
  readonly validators: readonly AnswerValidator[];
  /** Whether another target could still serve if this one fails. */
  hasAlternatives(): boolean;
}

/** The scope a route's targets run in: its own validators after the enclosing ones. */
export function routeScope(scope: Scope, route: { readonly validators: readonly AnswerValidator[] }): Scope {
  return route.validators.length === 0
    ? scope
    : { ...scope, validators: [...scope.validators, ...route.validators] };
}

import type { ProviderPolicy } from '../policy/provider-policy.js';
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
  /** The provider policies of the enclosing routes, outermost first. */
  readonly policies: readonly ProviderPolicy[];
}

/** The scope a route's targets run in: its own validators after the enclosing ones, its policy after theirs. */
export function routeScope(
  scope: Scope,
  route: { readonly validators: readonly AnswerValidator[]; readonly policy?: ProviderPolicy },
): Scope {
  if (route.validators.length === 0 && route.policy === undefined) return scope;
  return {
    signal: scope.signal,
    hasAlternatives: scope.hasAlternatives,
    validators: route.validators.length === 0 ? scope.validators : [...scope.validators, ...route.validators],
    policies: route.policy === undefined ? scope.policies : [...scope.policies, route.policy],
  };
}

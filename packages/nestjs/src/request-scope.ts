import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoutingTrace } from '@switchyard/core';
import {
  createRequestClient,
  lowerCeiling,
  type RequestClient,
  type RequestClientOptions,
} from '@switchyard/core/node';
import type { RoutePolicy } from './route-policy.js';
import type { SwitchyardState } from './switchyard-state.js';

/**
 * What `SwitchyardService` knows about the handler invocation being run: the handler's policy, and
 * the core's request client its calls go through (the caller from `identify`, the budgets and
 * ceiling of the module and the policy, the client's disconnect, the trace headers).
 */
export interface RequestScope {
  readonly policy: RoutePolicy;
  /** The request client, made when the handler first calls `SwitchyardService`. */
  client(): RequestClient;
  /** The trace of every call made so far, failed ones included, oldest first. */
  readonly traces: readonly RoutingTrace[];
}

/**
 * Carries the scope of the request being handled into `SwitchyardService`, set by
 * `SwitchyardInterceptor` (no request-scoped providers: the service stays a singleton).
 */
export const requestScopes = new AsyncLocalStorage<RequestScope>();

const NO_TRACES: readonly RoutingTrace[] = [];

/**
 * Creates the scope of one handler invocation. Its request client asks `identify(request)` once,
 * on the first call; response headers describe the latest call (route, served model and provider,
 * fallback), and `x-switchyard-attempts` and `x-switchyard-cost` add up every call of the request.
 */
export function createRequestScope(input: {
  policy: RoutePolicy;
  state: SwitchyardState;
  /** The framework's request, handed to `identify`. */
  request?: IncomingMessage;
  response?: ServerResponse;
}): RequestScope {
  const { policy, state, request, response } = input;
  const { options } = state;
  let client: RequestClient | undefined;
  const modulePolicy = options.policy;
  return {
    policy,
    get traces() {
      return client?.traces ?? NO_TRACES;
    },
    client() {
      client ??= createRequestClient({
        router: state.router,
        caller:
          options.identify === undefined || request === undefined
            ? {}
            : async () => (await options.identify?.(request)) ?? {},
        ...(response === undefined ? {} : { response }),
        budgets: [...(options.budgets ?? []), ...policy.budgets],
        ...withCeiling(lowerCeiling(options.maxCostUsd, policy.maxCostUsd)),
        ...withPolicy(
          typeof modulePolicy === 'function'
            ? request && ((caller) => modulePolicy(request, caller))
            : modulePolicy,
        ),
      });
      return client;
    },
  };
}

const withCeiling = (maxCostUsd: string | undefined): { maxCostUsd?: string } =>
  maxCostUsd === undefined ? {} : { maxCostUsd };

/** The module's provider policy for the request client, when it has one. */
export const withPolicy = (
  policy: RequestClientOptions['policy'],
): { policy?: NonNullable<RequestClientOptions['policy']> } => (policy === undefined ? {} : { policy });

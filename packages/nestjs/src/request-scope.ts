import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller, RoutingTrace } from '@switchyard/core';
import { GatewayError, setTraceHeaders } from '@switchyard/core/node';
import type { RoutePolicy } from './route-policy.js';

/**
 * What `SwitchyardService` knows about the request being handled: the handler's policy, who is
 * calling, the client's disconnect, and the traces of the calls made so far.
 */
export interface RequestScope {
  readonly policy: RoutePolicy;
  /** The caller as `identify` found it; asked once, on the first call. */
  caller(): Promise<Caller>;
  /** Aborts when the client disconnects before its answer was sent; undefined outside HTTP. */
  signal(): AbortSignal | undefined;
  /** Adds a call's trace and updates the response's `x-switchyard-*` headers. */
  record(trace: RoutingTrace): void;
  /** The trace of every call made so far, failed ones included, oldest first. */
  readonly traces: readonly RoutingTrace[];
}

/**
 * Carries the scope of the request being handled into `SwitchyardService`, set by
 * `SwitchyardInterceptor` (no request-scoped providers: the service stays a singleton).
 */
export const requestScopes = new AsyncLocalStorage<RequestScope>();

/** Aborts the calls of a request whose client went away before the answer was sent. */
function disconnectSignal(response: ServerResponse): AbortSignal {
  // An AbortSignal, not the gateway's lighter cancellation: only calls made by handlers use it.
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) {
      controller.abort(
        new GatewayError({ status: 499, code: 'client_closed', message: 'client closed the connection' }),
      );
    }
  });
  return controller.signal;
}

/**
 * Creates the scope of one handler invocation. Response headers describe the latest call (route,
 * served model and provider, fallback); `x-switchyard-attempts` and `x-switchyard-cost` add up every
 * call of the request, so the response tells what it really cost.
 */
export function createRequestScope(input: {
  policy: RoutePolicy;
  /** The framework's request, handed to `identify`. */
  request?: IncomingMessage;
  response?: ServerResponse;
  identify?: (request: IncomingMessage) => Caller | Promise<Caller>;
}): RequestScope {
  const { policy, request, response, identify } = input;
  const traces: RoutingTrace[] = [];
  let caller: Promise<Caller> | undefined;
  let disconnect: AbortSignal | undefined;
  return {
    policy,
    traces,
    caller() {
      if (caller === undefined) {
        caller =
          identify === undefined || request === undefined
            ? Promise.resolve({})
            : Promise.resolve().then(() => identify(request));
      }
      return caller;
    },
    signal() {
      if (response === undefined) return undefined;
      disconnect ??= disconnectSignal(response);
      return disconnect;
    },
    record(trace) {
      traces.push(trace);
      if (response !== undefined) setTraceHeaders(response, traces);
    },
  };
}

import type { BudgetConfig, Caller, ProviderPolicy, RoutedStream, Router } from '@switchyard/core';
import {
  createRequestClient,
  type RequestCallOptions,
  type RequestClient,
  traceHeaders,
  writeChatStream,
} from '@switchyard/core/node';
import type { Context } from 'koa';

declare module 'koa' {
  interface DefaultState {
    /** The request-scoped Switchyard client, set by the `switchyard()` middleware. */
    switchyard: SwitchyardClient;
  }
}

/** Options of one call through `ctx.state.switchyard`: the router's call options, less the caller. */
export type ClientCallOptions = RequestCallOptions;

/**
 * The router as seen from one Koa request: every call carries the request's caller (key, user,
 * tags), budgets and cost ceiling, is aborted when the client disconnects, and sets the
 * `x-switchyard-*` trace headers on the response.
 */
export interface SwitchyardClient extends RequestClient {
  /**
   * Answers the request with a routed stream as OpenAI-style SSE through the shared Node bridge
   * (backpressure, disconnect aborts, `usage.cost` in the last chunk, a mid-stream failure as an
   * `error` event). Sets `ctx.respond = false`: Koa leaves the response alone afterwards.
   * @returns the error that ended the stream, if any
   */
  sendStream(stream: RoutedStream): Promise<unknown>;
}

/** What the middleware found out about the request. */
export interface RequestIdentity {
  caller: Caller;
  budgets: readonly BudgetConfig[];
  maxCostUsd: string | undefined;
  /** The provider policy every call keeps, or the function of the caller that finds it (a call's own is merged with it). */
  policy?: ProviderPolicy | ((caller: Caller) => ProviderPolicy | undefined) | undefined;
}

/**
 * Creates the client of one Koa request: the core's request client (caller, budgets, ceiling,
 * disconnect aborts, trace headers adding up every call) plus `sendStream`.
 */
export function createSwitchyardClient(input: {
  ctx: Context;
  router: Router;
  identity: RequestIdentity;
}): SwitchyardClient {
  const { ctx, router, identity } = input;
  const client = createRequestClient({
    router,
    caller: identity.caller,
    response: ctx.res,
    budgets: identity.budgets,
    ...(identity.maxCostUsd === undefined ? {} : { maxCostUsd: identity.maxCostUsd }),
    ...(identity.policy === undefined ? {} : { policy: identity.policy }),
  });
  return {
    caller: client.caller,
    traces: client.traces,
    chat: client.chat,
    stream: client.stream,
    embed: client.embed,
    sendStream(stream) {
      ctx.respond = false;
      // A stream of this client has its headers set already (with the request's totals).
      const headers = client.traces.includes(stream.trace) ? {} : traceHeaders(stream.trace);
      return writeChatStream(ctx.res, stream, { headers });
    },
  };
}

import type { ServerResponse } from 'node:http';
import {
  type BudgetConfig,
  type Caller,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  formatUsd,
  parseUsd,
  type RoutedStream,
  type Router,
  type RoutingTrace,
} from '@switchyard/core';
import { GatewayError, traceHeaders, writeChatStream } from '@switchyard/core/node';
import type { Context } from 'koa';
import { traceOf } from './trace-of.js';

declare module 'koa' {
  interface DefaultState {
    /** The request-scoped Switchyard client, set by the `switchyard()` middleware. */
    switchyard: SwitchyardClient;
  }
}

/** Options of one call through `ctx.state.switchyard`: the router's call options, less the caller. */
export interface ClientCallOptions extends Omit<CallOptions, 'caller'> {
  /** Tags for this call, added to the caller's (budgets and the ledger count by them). */
  tags?: readonly string[];
}

/**
 * The router as seen from one Koa request: every call carries the request's caller (key, user,
 * tags), budgets and cost ceiling, is aborted when the client disconnects, and sets the
 * `x-switchyard-*` trace headers on the response.
 */
export interface SwitchyardClient {
  /** Who is calling, as `identify` found it. */
  readonly caller: Caller;
  /** The trace of every call made so far in this request, failed ones included, oldest first. */
  readonly traces: readonly RoutingTrace[];
  /**
   * Sends a chat request through its route (see `Router.chat`). Rejects with a `RoutingError`
   * (`status`, `expose`, `headers`, `trace`) that Koa renders natively. Per-call `budgets` are
   * added to the request's, the lower cost ceiling applies, `signal` is followed as well as the
   * client's disconnect.
   */
  chat(request: ChatRequest, options?: ClientCallOptions): Promise<ChatResult>;
  /**
   * Streams a chat request (see `Router.stream`); resolves at the first content chunk (fallback
   * is possible until then). Send it with {@link SwitchyardClient.sendStream} or iterate it.
   */
  stream(request: ChatRequest, options?: ClientCallOptions): Promise<RoutedStream>;
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
}

const lower = (a: string | undefined, b: string | undefined): string | undefined => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return parseUsd(a) <= parseUsd(b) ? a : b;
};

/** A caller's signal as an AbortSignal (the router's light `CancelSignal` included). */
function toAbortSignal(signal: NonNullable<CallOptions['signal']>): AbortSignal {
  if (!('onAbort' in signal)) return signal;
  const controller = new AbortController();
  signal.onAbort((reason) => controller.abort(reason));
  return controller.signal;
}

/** Aborts the calls of a request whose client went away before the answer was sent. */
function disconnectSignal(response: ServerResponse): AbortSignal {
  // An AbortSignal: the core's lighter Cancellation is not exported, and this is not the gateway's
  // hot path.
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
 * Creates the client of one request (the `switchyard()` middleware calls this). The headers
 * describe the latest call (route, served model and provider, fallback); `x-switchyard-attempts`
 * and `x-switchyard-cost` add up every call of the request, so the response tells what it cost.
 */
export function createSwitchyardClient(input: {
  ctx: Context;
  router: Router;
  identity: RequestIdentity;
}): SwitchyardClient {
  const { ctx, router, identity } = input;
  const { caller } = identity;
  const traces: RoutingTrace[] = [];
  let disconnect: AbortSignal | undefined;

  const record = (trace: RoutingTrace): void => {
    traces.push(trace);
    if (ctx.headerSent) return;
    ctx.set({
      ...traceHeaders(trace),
      'x-switchyard-attempts': String(traces.reduce((sum, each) => sum + each.attempts.length, 0)),
      'x-switchyard-cost': formatUsd(traces.reduce((sum, each) => sum + parseUsd(each.costUsd), 0n)),
    });
  };

  const callOptions = (call: ClientCallOptions = {}): CallOptions => {
    const { tags, signal, budgets, maxCostUsd, ...rest } = call;
    disconnect ??= disconnectSignal(ctx.res);
    const allTags = [...new Set([...(caller.tags ?? []), ...(tags ?? [])])];
    const allBudgets = [...identity.budgets, ...(budgets ?? [])];
    const ceiling = lower(identity.maxCostUsd, maxCostUsd);
    return {
      ...rest,
      caller: { ...caller, ...(allTags.length > 0 ? { tags: allTags } : {}) },
      signal: signal === undefined ? disconnect : AbortSignal.any([toAbortSignal(signal), disconnect]),
      ...(allBudgets.length > 0 ? { budgets: allBudgets } : {}),
      ...(ceiling === undefined ? {} : { maxCostUsd: ceiling }),
    };
  };

  const traced = async <T extends { trace: RoutingTrace }>(call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      record(result.trace);
      return result;
    } catch (error) {
      const trace = traceOf(error);
      if (trace !== undefined) record(trace);
      throw error;
    }
  };

  return {
    caller,
    traces,
    chat: (request, options) => traced(() => router.chat(request, callOptions(options))),
    stream: (request, options) => traced(() => router.stream(request, callOptions(options))),
    sendStream(stream) {
      ctx.respond = false;
      // A stream of this client has its headers set already (with the request's totals).
      const headers = traces.includes(stream.trace) ? {} : traceHeaders(stream.trace);
      return writeChatStream(ctx.res, stream, { headers });
    },
  };
}

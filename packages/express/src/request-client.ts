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
  RoutingError,
  type RoutingTrace,
} from '@switchyard/core';
import { traceHeaders } from '@switchyard/core/node';

/** Options of one call through `req.switchyard`: the router's call options, less the caller. */
export interface RequestCallOptions extends Omit<CallOptions, 'caller'> {
  /** Tags for this call, added to the caller's (budgets and the ledger count by them). */
  tags?: readonly string[];
}

/**
 * The request-scoped Switchyard client on `req.switchyard`: every call carries the caller's
 * identity and budgets, is aborted when the client disconnects, and updates the response's
 * `x-switchyard-*` headers.
 */
export interface SwitchyardRequestClient {
  /** Who is calling, as `identify` found it. */
  readonly caller: Caller;
  /** Sends a chat request through its route (see `Router.chat`). */
  chat(request: ChatRequest, options?: RequestCallOptions): Promise<ChatResult>;
  /** Streams a chat request (see `Router.stream`); headers are set once it resolves. */
  stream(request: ChatRequest, options?: RequestCallOptions): Promise<RoutedStream>;
  /** The trace of every call made so far in this request, failed ones included, oldest first. */
  readonly traces: readonly RoutingTrace[];
}

/** What {@link createRequestClient} needs. */
export interface RequestClientOptions {
  router: Router;
  caller: Caller;
  response: ServerResponse;
  /** Budgets added to every call. */
  budgets?: readonly BudgetConfig[];
  /** Cost ceiling of every call, in USD. */
  maxCostUsd?: string;
}

const lower = (a: string | undefined, b: string | undefined): string | undefined => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return parseUsd(a) <= parseUsd(b) ? a : b;
};

/** Aborts the upstream calls of a request whose client went away before the answer was sent. */
function disconnectSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
}

/**
 * Creates the client of one request. The response headers describe the latest call (route, served
 * model and provider, fallback); `x-switchyard-attempts` and `x-switchyard-cost` add up every call
 * the handler made, so the response tells what it really cost.
 */
export function createRequestClient(options: RequestClientOptions): SwitchyardRequestClient {
  const { router, caller, response } = options;
  const traces: RoutingTrace[] = [];
  let disconnect: AbortSignal | undefined;

  const record = (trace: RoutingTrace): void => {
    traces.push(trace);
    if (response.headersSent) return;
    const headers = traceHeaders(trace);
    headers['x-switchyard-attempts'] = String(traces.reduce((sum, each) => sum + each.attempts.length, 0));
    headers['x-switchyard-cost'] = formatUsd(traces.reduce((sum, each) => sum + parseUsd(each.costUsd), 0n));
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  };

  const callOptions = (call: RequestCallOptions = {}): CallOptions => {
    const { tags, signal, budgets, maxCostUsd, ...rest } = call;
    disconnect ??= disconnectSignal(response);
    const allTags = [...(caller.tags ?? []), ...(tags ?? [])];
    const allBudgets = [...(options.budgets ?? []), ...(budgets ?? [])];
    const ceiling = lower(options.maxCostUsd, maxCostUsd);
    return {
      ...rest,
      caller: { ...caller, ...(allTags.length > 0 ? { tags: allTags } : {}) },
      signal: signal instanceof AbortSignal ? AbortSignal.any([signal, disconnect]) : (signal ?? disconnect),
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
      if (error instanceof RoutingError) record(error.trace);
      throw error;
    }
  };

  return {
    caller,
    traces,
    chat: (request, call) => traced(() => router.chat(request, callOptions(call))),
    stream: (request, call) => traced(() => router.stream(request, callOptions(call))),
  };
}

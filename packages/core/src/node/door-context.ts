import type { IncomingMessage, ServerResponse } from 'node:http';
import { cacheModeFromHeader } from '../cache/cache-mode.js';
import type { ResolvedRequestLimits } from '../config/resolve-config.js';
import { RoutingError } from '../errors/routing-error.js';
import type { Router } from '../router/create-router.js';
import type { CallOptions } from '../router/start-execution.js';
import type { Caller } from '../spend/spend-scope.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { type TraceLogRecord, traceLogRecord } from '../trace/trace-log-record.js';
import { abortOnClose } from './abort-on-close.js';
import type { GatewayKey, KeyRing } from './gateway-keys.js';
import { renderError } from './render-error.js';
import { requestPath } from './request-path.js';
import { ruleHeaders } from './rule-headers.js';
import { annotateServerSpan, serverTraceContext } from './server-span.js';

/** What a request's line in the log is made of, once it is over. */
export interface DoorLogInput {
  request: IncomingMessage;
  /** `performance.now()` when the request came in. */
  started: number;
  status: number;
  stream: boolean;
  key: GatewayKey | undefined;
  trace: RoutingTrace | undefined;
  error: unknown;
}

/** What a failed request is rendered and logged from. */
export interface DoorFailure {
  request: IncomingMessage;
  started: number;
  response: ServerResponse;
  error: unknown;
  key: GatewayKey | undefined;
  stream: boolean;
  /** The requested model, once the body was read. */
  model?: string | undefined;
  /**
   * Writes the error in the door's own shape (Anthropic's, say) and returns its status; by
   * default `renderError`, OpenAI's shape.
   */
  render?: (response: ServerResponse, error: unknown, model: string | undefined) => number;
}

/** The router call of one request: the caller, its budget, and an abort on disconnect. */
export interface DoorCall {
  options: CallOptions;
  /** Stops watching for a disconnect: call once the answer is in hand. */
  detach(): void;
}

/**
 * What every door (`/chat/completions`, `/models`, and the doors that translate other protocols)
 * shares: the router, the keys, the body limit, the request log and the error rendering. A door is
 * one file that reads its protocol, calls the router through {@link DoorContext.call}, and writes
 * its protocol; the bridge owns everything else.
 */
export interface DoorContext {
  readonly router: Router;
  readonly keys: KeyRing;
  readonly bodyLimitBytes: number | undefined;
  /** The shape a body may have: every door reads its body with it (`readJsonBody`'s `shape`). */
  readonly requestLimits: ResolvedRequestLimits;
  /**
   * The router call's options for a key and user, with the cache mode of the request's
   * `Cache-Control` (`no-cache`: refresh, `no-store`: bypass); aborts when the response closes early.
   */
  call(response: ServerResponse, key: GatewayKey | undefined, user: unknown): DoorCall;
  log(input: DoorLogInput): void;
  fail(input: DoorFailure): void;
}

/** Creates the context the doors share. */
export function createDoorContext(options: {
  router: Router;
  keys: KeyRing;
  bodyLimitBytes: number | undefined;
  requestLimits: ResolvedRequestLimits;
  onRequest: ((entry: TraceLogRecord) => void) | undefined;
}): DoorContext {
  const { onRequest } = options;
  const log = (input: DoorLogInput): void => {
    annotateServerSpan({
      request: input.request,
      trace: input.trace,
      error: input.error,
      key: input.key?.name,
    });
    if (onRequest === undefined) return;
    onRequest(
      traceLogRecord({
        method: input.request.method ?? '',
        path: requestPath(input.request),
        status: input.status,
        stream: input.stream,
        key: input.key?.name,
        traces: input.trace,
        error: input.error,
        started: input.started,
      }),
    );
  };
  return {
    router: options.router,
    keys: options.keys,
    bodyLimitBytes: options.bodyLimitBytes,
    requestLimits: options.requestLimits,
    call(response, key, user) {
      const disconnect = abortOnClose(response);
      // Every door reads `Cache-Control` here, from the request behind the response.
      const cache = cacheModeFromHeader(response.req?.headers['cache-control']);
      const caller: Caller = {};
      if (key !== undefined) caller.key = key.name;
      if (typeof user === 'string') caller.user = user;
      if (key?.tags !== undefined) caller.tags = key.tags;
      // Only the headers `conditional` rules read (never the credentials), and none when no rule does.
      const callOptions: CallOptions = {
        signal: disconnect.cancellation,
        caller,
        headers: ruleHeaders(response.req?.headers, options.router.headerNames),
      };
      if (cache !== 'default') callOptions.cache = cache;
      if (key?.budget !== undefined) callOptions.budgets = [key.budget];
      if (key?.providerPolicy !== undefined) callOptions.policy = key.providerPolicy;
      const traceContext = serverTraceContext(response.req);
      // Set, not spread in: a literal with keys after a spread takes a slow path on Node 20.
      if (traceContext !== undefined) callOptions.traceContext = traceContext;
      return { options: callOptions, detach: disconnect.detach };
    },
    log,
    fail(input) {
      let status = 500;
      try {
        status =
          input.render === undefined
            ? renderError(input.response, input.error, { unrouted: true, model: input.model }).status
            : input.render(input.response, input.error, input.model);
      } catch {
        // Not even an error could be written: cut the connection, and still log the request.
        input.response.destroy();
      }
      log({
        request: input.request,
        started: input.started,
        status,
        stream: input.stream,
        key: input.key,
        trace: RoutingError.isInstance(input.error) ? input.error.trace : undefined,
        error: input.error,
      });
    },
  };
}

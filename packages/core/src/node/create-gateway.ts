import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsConfig, GatewayKeyConfig, RequestLimitsConfig } from '../config/config-types.js';
import { resolveRequestLimits } from '../config/resolve-config.js';
import { RoutingError } from '../errors/routing-error.js';
import type { Router } from '../router/create-router.js';
import type { TargetDescription } from '../router/describe-targets.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { type TraceLogRecord, traceLogRecord } from '../trace/trace-log-record.js';
import type { ChatRequest } from '../types/chat.js';
import { abortOnClose } from './abort-on-close.js';
import { checkChatRequest } from './check-chat-request.js';
import { createCorsPolicy, isPreflight } from './cors.js';
import { methodNotAllowedError } from './endpoint-errors.js';
import { GatewayError } from './gateway-error.js';
import { createKeyRing, type GatewayKey } from './gateway-keys.js';
import { readJsonBody } from './read-json-body.js';
import { renderError } from './render-error.js';
import { requestPath, urlPath } from './request-path.js';
import { sendJson } from './send-json.js';
import { traceHeaderList, traceHeaders } from './trace-headers.js';
import { writeChatStream } from './write-chat-stream.js';

/** One line per request, for the app's logger (the core's trace log record). Never holds a secret. */
export type GatewayRequestLog = TraceLogRecord;

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** The router every request goes through. */
  router: Router;
  /** Gateway keys (the config's `keys`); with none the gateway is open. */
  keys?: readonly GatewayKeyConfig[];
  /**
   * Largest request body.
   * @default 4 MiB
   */
  bodyLimitBytes?: number;
  /**
   * Answer `HEAD /models` like a `GET` (headers only), as Express's and Nest's routers answer HEAD
   * with a GET route; `'listed'` also names HEAD in that endpoint's `Allow` (`GET, HEAD`). The
   * adapters set it as their framework does.
   * @default false: a HEAD there is a wrong method (405)
   */
  head?: boolean | 'listed';
  /**
   * Browser apps on other origins that may call the endpoints (the config's `cors`): their
   * preflights get a 204 grant, their answers `Access-Control-Allow-Origin` and the trace headers
   * exposed. Other origins' preflights get a 403 `origin_not_allowed`, their answers no grant.
   * @default undefined: no origin is granted
   */
  cors?: CorsConfig;
  /**
   * The shape a request body may have (the config's `requestLimits`): nesting depth, number of
   * messages and models, name and string lengths. Past one, a 400 `invalid_parameter` names the field.
   * @default 64 levels, 10,000 messages, 8 models, 256-character names, 4 Mi-character strings
   */
  requestLimits?: RequestLimitsConfig;
  /**
   * Called once per request to an endpoint when it is over (not for a wrong method or a CORS
   * preflight).
   */
  onRequest?: (entry: GatewayRequestLog) => void;
}

/** The OpenAI-compatible endpoints over Node's request and response, shared by every adapter. */
export interface Gateway {
  /** True when no key is configured. */
  readonly open: boolean;
  /**
   * Answers a request to one of the endpoints: `POST /chat/completions` (JSON or SSE),
   * `GET /models` (the routes and aliases the caller's key may use, with prices) and
   * `GET /models/{id}` (one of them; the id may hold `/`, sent as is or as `%2F`). A CORS preflight
   * (`OPTIONS`) there is answered by the `cors` rules; another method is a 405 in OpenAI's error
   * shape whose `Allow` names the right one.
   * @param path the request's path below where the gateway is mounted (`/models`); by default
   *   the request's own path, for a gateway at the root of a server
   * @returns false for a path that is not an endpoint, the request untouched: the adapter goes on,
   *   or answers 404 with `notFoundError`
   * @example
   * http.createServer(async (req, res) => {
   *   const path = req.url?.split('?')[0] ?? '';
   *   if (path.startsWith('/v1/') && (await gateway.handle(req, res, path.slice(3)))) return;
   *   renderError(res, notFoundError({ method: req.method ?? '', path }));
   * });
   */
  handle(request: IncomingMessage, response: ServerResponse, path?: string): Promise<boolean>;
}

const CHAT_COMPLETIONS = '/chat/completions';
const MODELS = '/models';
const MODEL_PREFIX = '/models/';

/** One route or alias in OpenAI's model shape, with Switchyard's description beside it. */
function modelEntry(entry: TargetDescription, created: number) {
  return { id: entry.id, object: 'model', created, owned_by: 'switchyard', switchyard: entry };
}

/** A path segment percent-decoded (`openai%2Fgpt-4o-mini`), or undefined when it is malformed. */
function decodeSegment(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Creates the gateway: reads and checks the body itself (decompressing gzip, deflate and br; 413
 * past the limit, 415 for another encoding, 400 naming the bad field), authenticates the key in
 * constant time (401), checks the key may use the model (403), calls the router with the key as
 * the caller and its budget, and writes JSON or SSE with the routing trace in `x-switchyard-*`
 * headers and the whole cost in `usage.cost`. Errors are written in OpenAI's shape with their
 * status (`renderError`). A client that disconnects aborts the upstream call.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { router, head = false } = options;
  const keys = createKeyRing(options.keys);
  const cors = createCorsPolicy(options.cors);
  const limits = resolveRequestLimits(options.requestLimits);
  const modelsAllow = head === 'listed' ? 'GET, HEAD' : 'GET';

  const log = (input: {
    request: IncomingMessage;
    /** `performance.now()` when the request came in. */
    started: number;
    status: number;
    stream: boolean;
    key: GatewayKey | undefined;
    trace: RoutingTrace | undefined;
    error: unknown;
  }): void => {
    if (options.onRequest === undefined) return;
    options.onRequest(
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

  const fail = (input: {
    request: IncomingMessage;
    started: number;
    response: ServerResponse;
    error: unknown;
    key: GatewayKey | undefined;
    stream: boolean;
    /** The requested model, once the body was read. */
    model?: string | undefined;
  }): void => {
    let status = 500;
    try {
      status = renderError(input.response, input.error, { unrouted: true, model: input.model }).status;
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
  };

  const chatCompletions = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    let chat: ChatRequest | undefined;
    try {
      key = keys.authenticate(request);
      const body = await readJsonBody(request, { limitBytes: options.bodyLimitBytes, shape: limits });
      chat = checkChatRequest(body, limits);
      keys.authorize(key, [chat.model, ...(chat.models ?? [])]);
      const disconnect = abortOnClose(response);
      const callOptions = {
        signal: disconnect.cancellation,
        caller: {
          ...(key === undefined ? {} : { key: key.name }),
          ...(typeof chat.user === 'string' ? { user: chat.user } : {}),
        },
        ...(key?.budget === undefined ? {} : { budgets: [key.budget] }),
      };
      if (chat.stream === true) {
        const stream = await router.stream(chat, callOptions);
        disconnect.detach();
        const error = await writeChatStream(response, stream, { headers: traceHeaders(stream.trace) });
        log({ request, started, status: 200, stream: true, key, trace: stream.trace, error });
        return;
      }
      const { response: answer, trace } = await router.chat(chat, callOptions);
      disconnect.detach();
      if (response.destroyed) {
        // The client left after the upstream answered: the request still cost money, so log it.
        log({ request, started, status: 499, stream: false, key, trace, error: undefined });
        return;
      }
      const usage = answer.usage === undefined ? undefined : { ...answer.usage, cost: Number(trace.costUsd) };
      sendJson(response, {
        status: 200,
        json: JSON.stringify(usage === undefined ? answer : { ...answer, usage }),
        headers: traceHeaderList(trace),
      });
      log({ request, started, status: 200, stream: false, key, trace, error: undefined });
    } catch (error) {
      fail({ request, started, response, error, key, stream: chat?.stream === true, model: chat?.model });
    }
  };

  const models = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    try {
      key = keys.authenticate(request);
      const allowed = key?.routes;
      const created = Math.floor(Date.now() / 1000);
      const data = router
        .describe()
        .filter((entry) => allowed === undefined || allowed.has(entry.id))
        .map((entry) => modelEntry(entry, created));
      sendJson(response, { status: 200, json: JSON.stringify({ object: 'list', data }), headers: [] });
      log({ request, started, status: 200, stream: false, key, trace: undefined, error: undefined });
    } catch (error) {
      fail({ request, started, response, error, key, stream: false });
    }
  };

  /** `GET /models/{id}`: one entry of the list; a 404 alike for an unknown id and one the key may not use. */
  const model = async (
    request: IncomingMessage,
    response: ServerResponse,
    segment: string,
  ): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    try {
      key = keys.authenticate(request);
      const id = decodeSegment(segment);
      const entry = id === undefined ? undefined : router.describe().find((each) => each.id === id);
      if (entry === undefined || (key?.routes !== undefined && !key.routes.has(entry.id))) {
        throw new GatewayError({
          code: 'not_found',
          param: 'model',
          message: `The model \`${id ?? segment}\` does not exist or you do not have access to it.`,
        });
      }
      const json = JSON.stringify(modelEntry(entry, Math.floor(Date.now() / 1000)));
      sendJson(response, { status: 200, json, headers: [] });
      log({ request, started, status: 200, stream: false, key, trace: undefined, error: undefined });
    } catch (error) {
      fail({ request, started, response, error, key, stream: false });
    }
  };

  /**
   * Another method than the endpoint's: a CORS preflight answered by the `cors` rules, else a 405
   * naming the right ones (neither logged: nothing was asked).
   */
  const otherMethod = (request: IncomingMessage, response: ServerResponse, allow: string): void => {
    if (isPreflight(request)) {
      cors.preflight(request, response, allow);
      return;
    }
    cors.grant(request, response);
    renderError(
      response,
      methodNotAllowedError({ method: request.method ?? '', path: requestPath(request), allow }),
    );
  };

  const isRead = (method: string | undefined): boolean =>
    method === 'GET' || (head !== false && method === 'HEAD');

  return {
    open: keys.open,

    async handle(request, response, path = urlPath(request.url)) {
      if (path === CHAT_COMPLETIONS) {
        if (request.method === 'POST') {
          cors.grant(request, response);
          await chatCompletions(request, response);
        } else otherMethod(request, response, 'POST');
        return true;
      }
      if (path === MODELS) {
        if (isRead(request.method)) {
          cors.grant(request, response);
          await models(request, response);
        } else otherMethod(request, response, modelsAllow);
        return true;
      }
      if (path.startsWith(MODEL_PREFIX) && path.length > MODEL_PREFIX.length) {
        if (isRead(request.method)) {
          cors.grant(request, response);
          await model(request, response, path.slice(MODEL_PREFIX.length));
        } else otherMethod(request, response, modelsAllow);
        return true;
      }
      return false;
    },
  };
}

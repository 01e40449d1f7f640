import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayKeyConfig } from '../config/config-types.js';
import { RoutingError } from '../errors/routing-error.js';
import type { Router } from '../router/create-router.js';
import type { RoutingTrace } from '../trace/routing-trace.js';
import { Cancellation } from '../transport/cancel-signal.js';
import type { ChatRequest } from '../types/chat.js';
import { checkChatRequest } from './check-chat-request.js';
import { GatewayError } from './gateway-error.js';
import { createKeyRing, type GatewayKey } from './gateway-keys.js';
import { readJsonBody } from './read-json-body.js';
import { toOpenAIError } from './to-openai-error.js';
import { traceHeaderList, traceHeaders, unroutedHeaders } from './trace-headers.js';
import { writeChatStream } from './write-chat-stream.js';

/** One line per request, for the app's logger. Never holds a secret. */
export interface GatewayRequestLog {
  method: string;
  path: string;
  status: number;
  stream: boolean;
  /** The key's name (not the key). */
  key: string | undefined;
  requestId: string | undefined;
  route: string | undefined;
  model: string | undefined;
  provider: string | undefined;
  attempts: number;
  fallback: boolean;
  costUsd: string;
  latencyMs: number;
  /** The outcome code when the request failed. */
  error: string | undefined;
}

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  router: Router;
  /** Gateway keys (the config's `keys`); with none the gateway is open. */
  keys?: readonly GatewayKeyConfig[];
  /**
   * Largest request body.
   * @default 4 MiB
   */
  bodyLimitBytes?: number;
  /** Called once per request when it is over. */
  onRequest?: (entry: GatewayRequestLog) => void;
}

/** The OpenAI-compatible endpoints over Node's request and response, shared by every adapter. */
export interface Gateway {
  /** True when no key is configured. */
  readonly open: boolean;
  /** `POST …/chat/completions`: JSON or SSE. */
  chatCompletions(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** `GET …/models`: the routes and aliases the caller's key may use, with prices. */
  models(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/**
 * Writes a JSON answer with one `writeHead` and a flat header list: no header object to build,
 * spread and walk again on every request.
 */
function sendJson(
  response: ServerResponse,
  options: { status: number; json: string; headers: readonly string[] },
): void {
  response.writeHead(options.status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(options.json)),
    ...options.headers,
  ]);
  response.end(options.json);
}

/** A header object as a flat list. */
function headerList(headers: Record<string, string>): string[] {
  const list: string[] = [];
  for (const name of Object.keys(headers)) list.push(name, headers[name] as string);
  return list;
}

/** The path of a request, without its query. */
function pathOf(request: IncomingMessage): string {
  // Express shortens `url` below a mount point; `originalUrl` keeps the whole path.
  const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Creates the gateway: reads and checks the body itself (413 past the limit, 400 naming the bad
 * field), authenticates the key in constant time (401), checks the key may use the model (403),
 * calls the router with the key as the caller and its budget, and writes JSON or SSE with the
 * routing trace in `x-switchyard-*` headers and the whole cost in `usage.cost`. Errors are written
 * in OpenAI's shape with their status. A client that disconnects aborts the upstream call.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { router } = options;
  const keys = createKeyRing(options.keys);

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
    const { trace } = input;
    const code = input.error === undefined ? undefined : (input.error as { code?: unknown }).code;
    options.onRequest({
      method: input.request.method ?? '',
      path: pathOf(input.request),
      status: input.status,
      stream: input.stream,
      key: input.key?.name,
      requestId: trace?.id,
      route: trace?.route ?? trace?.requestedModel,
      model: trace?.served?.returnedModel,
      provider: trace?.served?.provider,
      attempts: trace?.attempts.length ?? 0,
      fallback: trace === undefined ? false : trace.fallback || trace.escalated,
      costUsd: trace?.costUsd ?? '0',
      latencyMs: Math.round((performance.now() - input.started) * 1000) / 1000,
      error: typeof code === 'string' ? code : input.error === undefined ? undefined : 'internal',
    });
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
    const { status, headers, body } = toOpenAIError(input.error);
    const trace = RoutingError.isInstance(input.error) ? input.error.trace : undefined;
    if (!input.response.headersSent && !input.response.destroyed) {
      sendJson(input.response, {
        status,
        json: JSON.stringify(body),
        headers: headerList({
          ...(trace === undefined ? unroutedHeaders(input.model) : traceHeaders(trace)),
          ...headers,
        }),
      });
    }
    log({
      request: input.request,
      started: input.started,
      status,
      stream: input.stream,
      key: input.key,
      trace,
      error: input.error,
    });
  };

  return {
    open: keys.open,

    async chatCompletions(request, response) {
      const started = performance.now();
      let key: GatewayKey | undefined;
      let chat: ChatRequest | undefined;
      try {
        key = keys.authenticate(request);
        chat = checkChatRequest(await readJsonBody(request, { limitBytes: options.bodyLimitBytes }));
        keys.authorize(key, [chat.model, ...(chat.models ?? [])]);
        const cancellation = new Cancellation();
        const onClose = (): void => {
          if (!response.writableFinished)
            cancellation.abort(
              new GatewayError({
                status: 499,
                code: 'client_closed',
                message: 'client closed the connection',
              }),
            );
        };
        response.on('close', onClose);
        const callOptions = {
          signal: cancellation,
          caller: {
            ...(key === undefined ? {} : { key: key.name }),
            ...(typeof chat.user === 'string' ? { user: chat.user } : {}),
          },
          ...(key?.budget === undefined ? {} : { budgets: [key.budget] }),
        };
        if (chat.stream === true) {
          const stream = await router.stream(chat, callOptions);
          response.off('close', onClose);
          const error = await writeChatStream(response, stream, { headers: traceHeaders(stream.trace) });
          log({ request, started, status: 200, stream: true, key, trace: stream.trace, error });
          return;
        }
        const { response: answer, trace } = await router.chat(chat, callOptions);
        response.off('close', onClose);
        if (response.destroyed) {
          // The client left after the upstream answered: the request still cost money, so log it.
          log({ request, started, status: 499, stream: false, key, trace, error: undefined });
          return;
        }
        const usage =
          answer.usage === undefined ? undefined : { ...answer.usage, cost: Number(trace.costUsd) };
        sendJson(response, {
          status: 200,
          json: JSON.stringify(usage === undefined ? answer : { ...answer, usage }),
          headers: traceHeaderList(trace),
        });
        log({ request, started, status: 200, stream: false, key, trace, error: undefined });
      } catch (error) {
        fail({ request, started, response, error, key, stream: chat?.stream === true, model: chat?.model });
      }
    },

    async models(request, response) {
      const started = performance.now();
      let key: GatewayKey | undefined;
      try {
        key = keys.authenticate(request);
        const allowed = key?.routes;
        const created = Math.floor(Date.now() / 1000);
        const data = router
          .describe()
          .filter((entry) => allowed === undefined || allowed.has(entry.id))
          .map((entry) => ({
            id: entry.id,
            object: 'model',
            created,
            owned_by: 'switchyard',
            switchyard: entry,
          }));
        sendJson(response, { status: 200, json: JSON.stringify({ object: 'list', data }), headers: [] });
        log({ request, started, status: 200, stream: false, key, trace: undefined, error: undefined });
      } catch (error) {
        fail({ request, started, response, error, key, stream: false });
      }
    },
  };
}

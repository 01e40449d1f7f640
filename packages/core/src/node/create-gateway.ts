import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsConfig, GatewayKeyConfig, RequestLimitsConfig } from '../config/config-types.js';
import { resolveRequestLimits } from '../config/resolve-config.js';
import type { Router } from '../router/create-router.js';
import type { TraceLogRecord } from '../trace/trace-log-record.js';
import { createCorsPolicy, isPreflight } from './cors.js';
import { createDoorContext } from './door-context.js';
import { chatCompletionsDoor } from './doors/chat-completions-door.js';
import { countTokensDoor } from './doors/count-tokens-door.js';
import { embeddingsDoor } from './doors/embeddings-door.js';
import { messagesDoor } from './doors/messages-door.js';
import { modelDoor, modelsDoor } from './doors/models-door.js';
import { responsesDoor } from './doors/responses-door.js';
import { methodNotAllowedError } from './endpoint-errors.js';
import { createKeyRing } from './gateway-keys.js';
import { renderError } from './render-error.js';
import { requestPath, urlPath } from './request-path.js';
import { withServerSpan } from './server-span.js';

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
   * `POST /responses` (OpenAI's Responses API), `POST /messages` and `/messages/count_tokens`
   * (Anthropic's Messages API, its errors in Anthropic's shape), `GET /models` (the routes and aliases the caller's key may use, with prices) and
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

/** A door's handler: answers one request to its path. */
type DoorHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

const MODELS = '/models';
const MODEL_PREFIX = '/models/';

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
  const modelsAllow = head === 'listed' ? 'GET, HEAD' : 'GET';

  const context = createDoorContext({
    router,
    keys,
    bodyLimitBytes: options.bodyLimitBytes,
    requestLimits: resolveRequestLimits(options.requestLimits),
    onRequest: options.onRequest,
  });
  /**
   * The `POST` doors by path. Each is one file that translates its protocol to and from the
   * internal chat language (`doors/`); a new door is one line here.
   */
  const posts: ReadonlyMap<string, DoorHandler> = new Map([
    ['/chat/completions', chatCompletionsDoor(context)],
    ['/embeddings', embeddingsDoor(context)],
    ['/responses', responsesDoor(context)],
    ['/messages', messagesDoor(context)],
    ['/messages/count_tokens', countTokensDoor(context)],
  ]);
  const models = modelsDoor(context);
  const model = modelDoor(context);

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
      const post = posts.get(path);
      if (post !== undefined) {
        if (request.method === 'POST') {
          cors.grant(request, response);
          await withServerSpan(request, response, { route: path, run: () => post(request, response) });
        } else otherMethod(request, response, 'POST');
        return true;
      }
      if (path === MODELS) {
        if (isRead(request.method)) {
          cors.grant(request, response);
          await withServerSpan(request, response, { route: MODELS, run: () => models(request, response) });
        } else otherMethod(request, response, modelsAllow);
        return true;
      }
      if (path.startsWith(MODEL_PREFIX) && path.length > MODEL_PREFIX.length) {
        if (isRead(request.method)) {
          cors.grant(request, response);
          await withServerSpan(request, response, {
            route: '/models/{id}',
            run: () => model(request, response, path.slice(MODEL_PREFIX.length)),
          });
        } else otherMethod(request, response, modelsAllow);
        return true;
      }
      return false;
    },
  };
}

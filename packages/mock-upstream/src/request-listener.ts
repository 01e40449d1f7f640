import type { IncomingMessage, ServerResponse } from 'node:http';
import { createExchange, type Exchange } from './exchange.js';
import type { LoggedRequest } from './logged-request.js';
import { redactHeaders } from './redact-headers.js';

/** Largest accepted request body (OpenRouter answers bigger ones with 413). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const CHAT_PATHS = new Set(['/api/v1/chat/completions', '/v1/chat/completions']);
const MODELS_PATHS = new Set(['/api/v1/models', '/v1/models']);
const EMBEDDINGS_PATHS = new Set(['/api/v1/embeddings', '/v1/embeddings']);

/** Answers a request whose body was read. */
type BodyHandler = (exchange: Exchange, bodyText: string) => Promise<void>;

/** What the listener needs from the mock. */
export interface RequestListenerDependencies {
  /** Answers a chat-completions request whose body was read. */
  handleChat: BodyHandler;
  /** Answers an embeddings request whose body was read. */
  handleEmbeddings: BodyHandler;
  /** JSON text of `GET /models`. */
  modelsBody: string;
  /** Next log id. */
  nextRequestId: () => number;
  /** Next generation id. */
  nextGenerationId: () => string;
  /** `user_id` of error bodies. */
  userId: string;
  /** Exchange hooks: logging, settlement, closing state. */
  hooks: {
    publish: (entry: LoggedRequest) => void;
    started: () => void;
    settled: () => void;
    isClosing: () => boolean;
  };
}

/**
 * Routes requests: `POST /api/v1/chat/completions` and `POST /api/v1/embeddings` (and `/v1/…`),
 * `GET /api/v1/models` (and `/v1/…`), anything else a 404 JSON error. Every request is logged and tracked until it settles.
 */
export function createRequestListener(
  dependencies: RequestListenerDependencies,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { hooks } = dependencies;
  return (request, response) => {
    const rawUrl = request.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const method = request.method ?? 'GET';
    const entry: LoggedRequest = {
      id: dependencies.nextRequestId(),
      method,
      path,
      stream: false,
      headers: redactHeaders(request.headers),
      body: undefined,
      receivedAt: Date.now(),
      outcome: 'pending',
      aborted: false,
    };
    hooks.started();
    const exchange = createExchange({
      request,
      response,
      entry,
      generationId: dependencies.nextGenerationId(),
      hooks: { publish: hooks.publish, settled: hooks.settled, isClosing: hooks.isClosing },
    });

    if (method === 'POST' && CHAT_PATHS.has(path)) {
      void answerPost(exchange, { handle: dependencies.handleChat, userId: dependencies.userId });
      return;
    }
    if (method === 'POST' && EMBEDDINGS_PATHS.has(path)) {
      void answerPost(exchange, { handle: dependencies.handleEmbeddings, userId: dependencies.userId });
      return;
    }
    request.resume();
    exchange.publish();
    if (method === 'GET' && MODELS_PATHS.has(path)) {
      exchange.sendJsonText(200, dependencies.modelsBody);
      return;
    }
    exchange.sendJson(404, { error: { code: 404, message: `Not Found: ${method} ${path}` } });
  };
}

/** Reads the body, then hands over to the handler; failures become a 500 or a cut connection. */
async function answerPost(
  exchange: Exchange,
  dependencies: { handle: BodyHandler; userId: string },
): Promise<void> {
  const bodyText = await readBody(exchange.request);
  if (bodyText === undefined) return;
  if (bodyText === null) {
    exchange.publish();
    exchange.sendJson(413, {
      error: { code: 413, message: 'Request payload too large' },
      user_id: dependencies.userId,
    });
    return;
  }
  try {
    await dependencies.handle(exchange, bodyText);
  } catch (error) {
    exchange.publish();
    if (exchange.response.headersSent) {
      exchange.response.destroy();
      return;
    }
    const message = `Mock upstream failed: ${error instanceof Error ? error.message : String(error)}`;
    exchange.sendJson(500, { error: { code: 500, message }, user_id: dependencies.userId });
  }
}

/** The body as text; null when larger than the limit (the rest is drained); undefined when the client left mid-upload. */
function readBody(request: IncomingMessage): Promise<string | null | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.once('end', () => {
      if (size > MAX_BODY_BYTES) resolve(null);
      else
        resolve(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        );
    });
    request.once('error', () => resolve(undefined));
    request.once('close', () => {
      if (!request.complete) resolve(undefined);
    });
  });
}

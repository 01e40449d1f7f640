import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CloseSignal, createCloseSignal } from './close-signal.js';
import type { LoggedRequest } from './logged-request.js';

/** One request and its response, with the bookkeeping the request log needs. */
export interface Exchange {
  /** The incoming request. */
  readonly request: IncomingMessage;
  /** The response being written. */
  readonly response: ServerResponse;
  /** The request's log entry (mutated as the exchange progresses). */
  readonly entry: LoggedRequest;
  /** Fires when the connection closes, for whatever reason; stops waits and writes. */
  readonly signal: CloseSignal;
  /** Generation id, sent as `X-Generation-Id`. */
  readonly generationId: string;
  /** Adds the entry to the request log (once). */
  publish(): void;
  /** Writes the status line and headers (plus `X-Generation-Id`) and records the status. */
  writeHead(status: number, headers: Record<string, string | number>): void;
  /** Sends a complete JSON response. */
  sendJson(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Sends a complete response whose JSON text is already serialised. */
  sendJsonText(status: number, text: string, headers?: Record<string, string>): void;
  /**
   * Destroys the connection; the entry's outcome becomes `reset`. Before any byte this is a TCP
   * reset (ECONNRESET); once headers went out the socket is destroyed right after the data already
   * written, so the client reads those chunks and then sees the body cut short.
   */
  reset(): void;
  /** Marks the exchange as deliberately silent; it settles when the connection closes. */
  stall(): void;
}

/** Options of {@link createExchange}. */
export interface ExchangeOptions {
  /** The incoming request. */
  request: IncomingMessage;
  /** Its response. */
  response: ServerResponse;
  /** The log entry, outcome `pending`. */
  entry: LoggedRequest;
  /** Generation id. */
  generationId: string;
  /** Hooks into the mock: logging, settlement, and whether `close()` is tearing connections down. */
  hooks: {
    publish: (entry: LoggedRequest) => void;
    settled: () => void;
    isClosing: () => boolean;
  };
}

/**
 * Tracks one exchange. When the response closes it settles the entry: `completed` when the mock
 * finished writing, otherwise `aborted: true` (the client left first), unless the mock reset or
 * stalled on purpose, or the mock itself is closing.
 */
export function createExchange(options: ExchangeOptions): Exchange {
  const { request, response, entry, hooks } = options;
  const controller = createCloseSignal();
  let published = false;
  const publish = (): void => {
    if (published) return;
    published = true;
    hooks.publish(entry);
  };
  response.on('error', () => {
    // Writes racing a closed socket: the close handler below records what happened.
  });
  response.once('close', () => {
    controller.close();
    if (entry.outcome !== 'reset') {
      const finished = response.writableFinished;
      if (!finished && !hooks.isClosing()) entry.aborted = true;
      if (entry.outcome !== 'stalled') entry.outcome = finished ? 'completed' : 'aborted';
    }
    entry.finishedAt = Date.now();
    publish();
    hooks.settled();
  });

  const writeHead = (status: number, headers: Record<string, string | number>): void => {
    entry.status = status;
    response.writeHead(status, { 'x-generation-id': options.generationId, ...headers });
  };

  const sendJsonText = (status: number, text: string, headers: Record<string, string> = {}): void => {
    if (controller.signal.closed) return;
    writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  };

  return {
    request,
    response,
    entry,
    signal: controller.signal,
    generationId: options.generationId,
    publish,
    writeHead,
    sendJson(status, body, headers) {
      sendJsonText(status, JSON.stringify(body), headers);
    },
    sendJsonText,
    reset() {
      entry.outcome = 'reset';
      const socket = request.socket;
      if (!response.headersSent && typeof socket.resetAndDestroy === 'function' && !socket.destroyed) {
        socket.resetAndDestroy();
      } else {
        socket.destroy();
      }
    },
    stall() {
      entry.outcome = 'stalled';
    },
  };
}

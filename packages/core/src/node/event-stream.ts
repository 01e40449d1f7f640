import type { ServerResponse } from 'node:http';
import type { RoutedStream } from '../router/routed-stream.js';

/**
 * Headers of an SSE answer, as proxies and browsers need them. `Connection` is not among them: it
 * depends on the request (see {@link openEventStream}).
 */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/**
 * `connection: keep-alive` for a client that keeps its connection (Node's `shouldKeepAlive`, from
 * the request), as SSE answers always sent; nothing for `Connection: close` or HTTP/1.0, so that
 * Node answers `Connection: close` and closes the socket after the stream. The header used to be
 * sent to every client, which held a closing one's socket open after `[DONE]`.
 */
const KEEP_ALIVE: Readonly<Record<string, string>> = { connection: 'keep-alive' };
const NO_HEADERS: Readonly<Record<string, string>> = {};

/** Resolves once the response takes more (`drain`) or is gone (`close`). */
export function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Starts an SSE answer for a routed stream, the same for every door: the event-stream headers,
 * `connection: keep-alive` only for a client that keeps its connection, the door's own headers,
 * and a client that leaves cancels the stream (the upstream request is aborted). Headers Node
 * refuses throw before anything is sent, the stream cancelled, so the caller can still answer
 * with an error.
 * @returns the listener to remove once the stream is written
 */
export function openEventStream(
  response: ServerResponse,
  stream: RoutedStream,
  headers: Record<string, string> | undefined,
): () => void {
  try {
    const connection = response.shouldKeepAlive ? KEEP_ALIVE : NO_HEADERS;
    response.writeHead(200, { ...EVENT_STREAM_HEADERS, ...connection, ...headers });
  } catch (error) {
    stream.cancel();
    throw error;
  }
  const onClose = (): void => {
    if (!response.writableFinished) stream.cancel();
  };
  response.on('close', onClose);
  return () => response.off('close', onClose);
}

import type { ServerResponse } from 'node:http';
import type { RoutedStream } from '../router/routed-stream.js';
import type { ChatChunk } from '../types/chat.js';
import { toOpenAIError } from './to-openai-error.js';

/**
 * Headers of an SSE answer, as proxies and browsers need them. `Connection` is not among them: it
 * depends on the request (see {@link writeChatStream}).
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

function waitForDrain(response: ServerResponse): Promise<void> {
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

const isUsageOnly = (chunk: ChatChunk): boolean =>
  chunk.usage !== undefined &&
  chunk.usage !== null &&
  (chunk.choices.length === 0 ||
    chunk.choices.every((choice) => !choice.delta?.content && !choice.delta?.tool_calls?.length));

/**
 * Writes a routed stream to a Node response as OpenAI-style SSE: headers first, one `data:` event
 * per chunk with backpressure (`drain`), the final usage chunk with `usage.cost` set to the
 * request's whole cost (failed attempts included), then `data: [DONE]`. A client that disconnects
 * cancels the stream (the upstream request is aborted). A failure after the first chunk is sent as
 * an `error` event in OpenAI's shape, then the response ends: never a silent success.
 * @returns the error that ended the stream, if any
 */
export async function writeChatStream(
  response: ServerResponse,
  stream: RoutedStream,
  options: { headers?: Record<string, string> } = {},
): Promise<unknown> {
  try {
    const connection = response.shouldKeepAlive ? KEEP_ALIVE : NO_HEADERS;
    response.writeHead(200, { ...EVENT_STREAM_HEADERS, ...connection, ...options.headers });
  } catch (error) {
    // Headers Node refuses: nothing was sent, so the caller can still answer with an error; the
    // upstream stream must not be left open.
    stream.cancel();
    throw error;
  }
  const onClose = (): void => {
    if (!response.writableFinished) stream.cancel();
  };
  response.on('close', onClose);
  let usageChunk: ChatChunk | undefined;
  try {
    for await (const chunk of stream) {
      if (isUsageOnly(chunk)) {
        usageChunk = chunk;
        continue;
      }
      if (response.destroyed) break;
      if (!response.write(`data: ${JSON.stringify(chunk)}\n\n`)) await waitForDrain(response);
    }
    if (usageChunk !== undefined && !response.destroyed) {
      const usage = { ...usageChunk.usage, cost: Number(stream.trace.costUsd) };
      response.write(`data: ${JSON.stringify({ ...usageChunk, usage })}\n\n`);
    }
    if (!response.destroyed) response.end('data: [DONE]\n\n');
    return undefined;
  } catch (error) {
    if (!response.destroyed) response.end(`data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`);
    return error;
  } finally {
    response.off('close', onClose);
  }
}

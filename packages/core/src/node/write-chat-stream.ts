import type { ServerResponse } from 'node:http';
import type { RoutedStream } from '../router/routed-stream.js';
import type { ChatChunk } from '../types/chat.js';
import { openEventStream, waitForDrain } from './event-stream.js';
import { toOpenAIError } from './to-openai-error.js';

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
  const close = openEventStream(response, stream, options.headers);
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
    close();
  }
}

import type { ServerResponse } from 'node:http';
import { servedUsage } from '../dialects/served-usage.js';
import type { DialectEvent, StreamTranslator } from '../dialects/stream-translator.js';
import type { RoutedStream } from '../router/routed-stream.js';
import { openEventStream, waitForDrain } from './event-stream.js';

/** Named events as SSE text: `event: <name>` and one `data:` line each (the JSON holds no newline). */
function serialize(events: readonly DialectEvent[]): string {
  let text = '';
  for (const event of events) text += `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
  return text;
}

/**
 * Writes a routed stream as a door's own SSE events (the Responses API's, Anthropic's), through
 * its {@link StreamTranslator}: headers first, the opening events, each chunk's events with
 * backpressure (`drain`), then the closing events with the served attempt's usage and the
 * request's whole cost. A client that disconnects cancels the stream (the upstream request is
 * aborted). A failure after the stream began ends it with the door's error events: never a silent
 * success.
 * @returns the error that ended the stream, if any
 */
export async function writeDialectStream(
  response: ServerResponse,
  stream: RoutedStream,
  options: { translator: StreamTranslator; headers?: Record<string, string> },
): Promise<unknown> {
  const { translator } = options;
  const close = openEventStream(response, stream, options.headers);
  try {
    response.write(serialize(translator.start()));
    for await (const chunk of stream) {
      if (response.destroyed) break;
      const events = translator.chunk(chunk);
      if (events.length > 0 && !response.write(serialize(events))) await waitForDrain(response);
    }
    // The loop ends once the attempt is settled: its usage and the whole cost are final.
    const end = translator.end({ usage: servedUsage(stream.trace), costUsd: stream.trace.costUsd });
    if (!response.destroyed) response.end(serialize(end));
    return undefined;
  } catch (error) {
    if (!response.destroyed) response.end(serialize(translator.fail(error)));
    return error;
  } finally {
    close();
  }
}

import type { DoorContext } from '../door-context.js';
import { traceHeaderList, traceHeaders } from '../trace-headers.js';
import { writeChatStream } from '../write-chat-stream.js';
import { chatDoor } from './chat-door.js';

/**
 * `POST /chat/completions`, the internal language spoken as is: JSON or SSE, the trace in
 * `x-switchyard-*` headers and the whole cost in `usage.cost`.
 */
export function chatCompletionsDoor(context: DoorContext) {
  return chatDoor<undefined>(context, {
    door: 'chat',
    read: (body) => ({ chat: body, state: undefined }),
    writeStream: (response, stream) =>
      writeChatStream(response, stream, { headers: traceHeaders(stream.trace) }),
    answer({ completion, trace }) {
      const usage =
        completion.usage === undefined ? undefined : { ...completion.usage, cost: Number(trace.costUsd) };
      return {
        json: JSON.stringify(usage === undefined ? completion : { ...completion, usage }),
        headers: traceHeaderList(trace),
      };
    },
  });
}

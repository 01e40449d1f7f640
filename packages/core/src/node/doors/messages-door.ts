import type { ServerResponse } from 'node:http';
import { toMessagesAnswer } from '../../dialects/messages/messages-answer.js';
import { translateMessagesRequest } from '../../dialects/messages/messages-request.js';
import { MessagesStreamTranslator } from '../../dialects/messages/messages-stream.js';
import type { MessagesAnswer } from '../../dialects/messages/messages-types.js';
import { servedUsage } from '../../dialects/served-usage.js';
import { RoutingError } from '../../errors/routing-error.js';
import type { DoorContext } from '../door-context.js';
import { renderAnthropicError } from '../render-anthropic-error.js';
import { traceHeaderList, traceHeaders } from '../trace-headers.js';
import { writeDialectStream } from '../write-dialect-stream.js';
import { chatDoor } from './chat-door.js';

/** Writes a failure in Anthropic's shape (the door context's `render`). */
export const renderMessagesError = (
  response: ServerResponse,
  error: unknown,
  model: string | undefined,
): number => renderAnthropicError(response, error, model).status;

/**
 * `POST /messages`, Anthropic's Messages API: the key comes as `x-api-key` (or Bearer),
 * `anthropic-version` and `anthropic-beta` are accepted as sent; the request is translated into a
 * chat call (routing, validators, cascades, budgets and limits apply as they do to chat), the
 * answer back into a message, or into Anthropic's event stream with `stream: true`. The trace is
 * in the `x-switchyard-*` headers, the whole cost in `usage.cost`; errors are in Anthropic's shape.
 */
export function messagesDoor(context: DoorContext) {
  return chatDoor<readonly string[]>(context, {
    door: 'messages',
    read(body) {
      const { chat, stopSequences } = translateMessagesRequest(body);
      return { chat, state: stopSequences };
    },
    writeStream(response, stream, { chat, state: stopSequences }) {
      const translator = new MessagesStreamTranslator({
        requestId: stream.trace.id,
        model: stream.trace.served?.returnedModel ?? chat.model,
        stopSequences,
      });
      const headers = traceHeaders(stream.trace);
      headers['request-id'] = stream.trace.id;
      return writeDialectStream(response, stream, { translator, headers });
    },
    answer({ completion, trace, state: stopSequences }) {
      let answer: MessagesAnswer;
      try {
        answer = toMessagesAnswer({
          completion,
          requestId: trace.id,
          stopSequences,
          usage: servedUsage(trace),
          costUsd: trace.costUsd,
        });
      } catch (cause) {
        // A billed answer this shape cannot carry (tool arguments that are not JSON): keep its trace.
        throw new RoutingError({ code: 'invalid_response', message: (cause as Error).message, trace, cause });
      }
      return { json: JSON.stringify(answer), headers: [...traceHeaderList(trace), 'request-id', trace.id] };
    },
    render: renderMessagesError,
  });
}

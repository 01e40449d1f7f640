import type { IncomingMessage, ServerResponse } from 'node:http';
import { toMessagesAnswer } from '../../dialects/messages/messages-answer.js';
import {
  type TranslatedMessagesRequest,
  translateMessagesRequest,
} from '../../dialects/messages/messages-request.js';
import { MessagesStreamTranslator } from '../../dialects/messages/messages-stream.js';
import type { MessagesAnswer } from '../../dialects/messages/messages-types.js';
import { servedUsage } from '../../dialects/served-usage.js';
import { RoutingError } from '../../errors/routing-error.js';
import { checkChatRequest } from '../check-chat-request.js';
import type { DoorContext } from '../door-context.js';
import type { GatewayKey } from '../gateway-keys.js';
import { readJsonBody } from '../read-json-body.js';
import { renderAnthropicError } from '../render-anthropic-error.js';
import { sendJson } from '../send-json.js';
import { traceHeaderList, traceHeaders } from '../trace-headers.js';
import { writeDialectStream } from '../write-dialect-stream.js';

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
  const { router, keys } = context;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    let translated: TranslatedMessagesRequest | undefined;
    try {
      key = keys.authenticate(request);
      translated = translateMessagesRequest(
        await readJsonBody(request, { limitBytes: context.bodyLimitBytes, shape: context.requestLimits }),
      );
      const chat = checkChatRequest(translated.chat, context.requestLimits);
      keys.authorize(key, [chat.model]);
      const call = context.call(response, key, translated.user);
      const { options } = call;
      // Set, not spread in: a literal with keys after a spread takes a slow path on Node 20.
      options.door = 'messages';
      const { stopSequences } = translated;
      if (chat.stream === true) {
        const stream = await router.stream(chat, options);
        call.detach();
        const translator = new MessagesStreamTranslator({
          requestId: stream.trace.id,
          model: stream.trace.served?.returnedModel ?? chat.model,
          stopSequences,
        });
        const headers = traceHeaders(stream.trace);
        headers['request-id'] = stream.trace.id;
        const error = await writeDialectStream(response, stream, { translator, headers });
        context.log({ request, started, status: 200, stream: true, key, trace: stream.trace, error });
        return;
      }
      const { response: completion, trace } = await router.chat(chat, options);
      call.detach();
      if (response.destroyed) {
        context.log({ request, started, status: 499, stream: false, key, trace, error: undefined });
        return;
      }
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
      sendJson(response, {
        status: 200,
        json: JSON.stringify(answer),
        headers: [...traceHeaderList(trace), 'request-id', trace.id],
      });
      context.log({ request, started, status: 200, stream: false, key, trace, error: undefined });
    } catch (error) {
      context.fail({
        request,
        started,
        response,
        error,
        key,
        stream: translated?.chat.stream === true,
        model: translated?.chat.model,
        render: renderMessagesError,
      });
    }
  };
}

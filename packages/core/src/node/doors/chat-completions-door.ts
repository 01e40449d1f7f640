import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatRequest } from '../../types/chat.js';
import { checkChatRequest } from '../check-chat-request.js';
import type { DoorContext } from '../door-context.js';
import type { GatewayKey } from '../gateway-keys.js';
import { readJsonBody } from '../read-json-body.js';
import { sendJson } from '../send-json.js';
import { traceHeaderList, traceHeaders } from '../trace-headers.js';
import { writeChatStream } from '../write-chat-stream.js';

/**
 * `POST /chat/completions`, the internal language spoken as is: JSON or SSE, the trace in
 * `x-switchyard-*` headers and the whole cost in `usage.cost`.
 */
export function chatCompletionsDoor(context: DoorContext) {
  const { router, keys } = context;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    let chat: ChatRequest | undefined;
    try {
      key = keys.authenticate(request);
      const body = await readJsonBody(request, {
        limitBytes: context.bodyLimitBytes,
        shape: context.requestLimits,
      });
      chat = checkChatRequest(body, context.requestLimits);
      keys.authorize(key, [chat.model, ...(chat.models ?? [])]);
      const call = context.call(response, key, chat.user);
      const { options } = call;
      // Set, not spread in: a literal with keys after a spread takes a slow path on Node 20.
      options.door = 'chat';
      if (chat.stream === true) {
        const stream = await router.stream(chat, options);
        call.detach();
        const error = await writeChatStream(response, stream, { headers: traceHeaders(stream.trace) });
        context.log({ request, started, status: 200, stream: true, key, trace: stream.trace, error });
        return;
      }
      const { response: answer, trace } = await router.chat(chat, options);
      call.detach();
      if (response.destroyed) {
        // The client left after the upstream answered: the request still cost money, so log it.
        context.log({ request, started, status: 499, stream: false, key, trace, error: undefined });
        return;
      }
      const usage = answer.usage === undefined ? undefined : { ...answer.usage, cost: Number(trace.costUsd) };
      sendJson(response, {
        status: 200,
        json: JSON.stringify(usage === undefined ? answer : { ...answer, usage }),
        headers: traceHeaderList(trace),
      });
      context.log({ request, started, status: 200, stream: false, key, trace, error: undefined });
    } catch (error) {
      context.fail({
        request,
        started,
        response,
        error,
        key,
        stream: chat?.stream === true,
        model: chat?.model,
      });
    }
  };
}

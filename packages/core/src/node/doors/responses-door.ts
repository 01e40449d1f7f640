import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ResponsesIdentity, toResponsesAnswer } from '../../dialects/responses/responses-answer.js';
import {
  type TranslatedResponsesRequest,
  translateResponsesRequest,
} from '../../dialects/responses/responses-request.js';
import { ResponsesStreamTranslator } from '../../dialects/responses/responses-stream.js';
import { servedUsage } from '../../dialects/served-usage.js';
import { checkChatRequest } from '../check-chat-request.js';
import type { DoorContext } from '../door-context.js';
import type { GatewayKey } from '../gateway-keys.js';
import { readJsonBody } from '../read-json-body.js';
import { sendJson } from '../send-json.js';
import { traceHeaderList, traceHeaders } from '../trace-headers.js';
import { writeDialectStream } from '../write-dialect-stream.js';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * `POST /responses`, OpenAI's Responses API: the request is translated into a chat call (so
 * routing, validators, cascades, budgets and limits apply as they do to chat), the answer back
 * into a response object, or into the Responses event stream with `stream: true`. The trace is in
 * the `x-switchyard-*` headers, the whole cost in `usage.cost`; errors are in OpenAI's shape.
 */
export function responsesDoor(context: DoorContext) {
  const { router, keys } = context;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    let translated: TranslatedResponsesRequest | undefined;
    try {
      key = keys.authenticate(request);
      translated = translateResponsesRequest(
        await readJsonBody(request, { limitBytes: context.bodyLimitBytes, shape: context.requestLimits }),
      );
      // The chat door's own checks (and limits) run on the translated call too.
      const chat = checkChatRequest(translated.chat, context.requestLimits);
      keys.authorize(key, [chat.model]);
      const call = context.call(response, key, chat.user);
      const { options } = call;
      // Set, not spread in: a literal with keys after a spread takes a slow path on Node 20.
      options.door = 'responses';
      const { echo } = translated;
      if (chat.stream === true) {
        const stream = await router.stream(chat, options);
        call.detach();
        const identity: ResponsesIdentity = {
          requestId: stream.trace.id,
          model: stream.trace.served?.returnedModel ?? chat.model,
          createdAt: nowSeconds(),
          echo,
        };
        const error = await writeDialectStream(response, stream, {
          translator: new ResponsesStreamTranslator(identity),
          headers: traceHeaders(stream.trace),
        });
        context.log({ request, started, status: 200, stream: true, key, trace: stream.trace, error });
        return;
      }
      const { response: completion, trace } = await router.chat(chat, options);
      call.detach();
      if (response.destroyed) {
        // The client left after the upstream answered: the request still cost money, so log it.
        context.log({ request, started, status: 499, stream: false, key, trace, error: undefined });
        return;
      }
      const answer = toResponsesAnswer({
        completion,
        identity: {
          requestId: trace.id,
          model: completion.model,
          createdAt: completion.created ?? nowSeconds(),
          echo,
        },
        usage: servedUsage(trace),
        costUsd: trace.costUsd,
      });
      sendJson(response, { status: 200, json: JSON.stringify(answer), headers: traceHeaderList(trace) });
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
      });
    }
  };
}

import { type ResponsesIdentity, toResponsesAnswer } from '../../dialects/responses/responses-answer.js';
import { translateResponsesRequest } from '../../dialects/responses/responses-request.js';
import { ResponsesStreamTranslator } from '../../dialects/responses/responses-stream.js';
import type { ResponsesEcho } from '../../dialects/responses/responses-types.js';
import { servedUsage } from '../../dialects/served-usage.js';
import type { DoorContext } from '../door-context.js';
import { traceHeaderList, traceHeaders } from '../trace-headers.js';
import { writeDialectStream } from '../write-dialect-stream.js';
import { chatDoor } from './chat-door.js';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * `POST /responses`, OpenAI's Responses API: the request is translated into a chat call (so
 * routing, validators, cascades, budgets and limits apply as they do to chat), the answer back
 * into a response object, or into the Responses event stream with `stream: true`. The trace is in
 * the `x-switchyard-*` headers, the whole cost in `usage.cost`; errors are in OpenAI's shape.
 */
export function responsesDoor(context: DoorContext) {
  return chatDoor<ResponsesEcho>(context, {
    door: 'responses',
    read(body) {
      const { chat, echo } = translateResponsesRequest(body);
      return { chat, state: echo };
    },
    writeStream(response, stream, { chat, state: echo }) {
      const identity: ResponsesIdentity = {
        requestId: stream.trace.id,
        model: stream.trace.served?.returnedModel ?? chat.model,
        createdAt: nowSeconds(),
        echo,
      };
      return writeDialectStream(response, stream, {
        translator: new ResponsesStreamTranslator(identity),
        headers: traceHeaders(stream.trace),
      });
    },
    answer({ completion, trace, state: echo }) {
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
      return { json: JSON.stringify(answer), headers: traceHeaderList(trace) };
    },
  });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { withEncoding } from '../../embeddings/embedding-encoding.js';
import type { RoutingTrace } from '../../trace/routing-trace.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../types/embeddings.js';
import { checkEmbeddingRequest } from '../check-embedding-request.js';
import type { DoorContext } from '../door-context.js';
import type { GatewayKey } from '../gateway-keys.js';
import { readJsonBody } from '../read-json-body.js';
import { sendJson } from '../send-json.js';
import { traceHeaderList } from '../trace-headers.js';

/**
 * The answer in OpenAI's shape: the vectors in the encoding the client asked for (float unless it
 * said base64, converted when the upstream sent the other), and `usage.cost`, the whole request's
 * cost (failed billed attempts included), as for chat.
 */
function answerOf(
  answer: EmbeddingResponse,
  input: { request: EmbeddingRequest; trace: RoutingTrace },
): Record<string, unknown> {
  const promptTokens = answer.usage?.prompt_tokens ?? 0;
  return {
    ...answer,
    object: 'list',
    data: withEncoding(answer.data, input.request.encoding_format ?? 'float'),
    model: answer.model,
    usage: {
      ...answer.usage,
      prompt_tokens: promptTokens,
      total_tokens: answer.usage?.total_tokens ?? promptTokens,
      cost: Number(input.trace.costUsd),
    },
  };
}

/**
 * `POST /embeddings`, OpenAI's embeddings in the router's `embed`: the same key checks, budgets,
 * limits and ledger as chat, the trace in `x-switchyard-*` headers, the whole cost in `usage.cost`.
 */
export function embeddingsDoor(context: DoorContext) {
  const { router, keys } = context;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    let key: GatewayKey | undefined;
    let embedding: EmbeddingRequest | undefined;
    try {
      key = keys.authenticate(request);
      const body = await readJsonBody(request, {
        limitBytes: context.bodyLimitBytes,
        shape: context.requestLimits,
      });
      embedding = checkEmbeddingRequest(body, context.requestLimits);
      keys.authorize(key, [embedding.model]);
      const call = context.call(response, key, embedding.user);
      const { options } = call;
      options.door = 'embeddings';
      const { response: answer, trace } = await router.embed(embedding, options);
      call.detach();
      if (response.destroyed) {
        // The client left after the upstream answered: the request still cost money, so log it.
        context.log({ request, started, status: 499, stream: false, key, trace, error: undefined });
        return;
      }
      sendJson(response, {
        status: 200,
        json: JSON.stringify(answerOf(answer, { request: embedding, trace })),
        headers: traceHeaderList(trace),
      });
      context.log({ request, started, status: 200, stream: false, key, trace, error: undefined });
    } catch (error) {
      context.fail({ request, started, response, error, key, stream: false, model: embedding?.model });
    }
  };
}

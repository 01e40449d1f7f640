import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoutedStream } from '../../router/routed-stream.js';
import type { Door } from '../../trace/door.js';
import type { RoutingTrace } from '../../trace/routing-trace.js';
import type { ChatRequest, ChatResponse } from '../../types/chat.js';
import { checkChatRequest } from '../check-chat-request.js';
import type { DoorContext, DoorFailure } from '../door-context.js';
import type { GatewayKey } from '../gateway-keys.js';
import { readJsonBody } from '../read-json-body.js';
import { sendJson } from '../send-json.js';

/**
 * What a protocol that is routed as a chat call tells the bridge: how its body becomes a chat
 * request, and how a stream and a whole answer are written back in its shape. `S` is what the
 * answer needs of the request beyond the chat call (the Responses echo, the stop sequences).
 */
export interface ChatDialect<S> {
  /** Kept on the trace, the log line and every ledger entry. */
  readonly door: Door;
  /** The protocol's body as a chat call; throws a 400 naming the bad field. */
  read(body: unknown): { chat: unknown; state: S };
  /** Writes the stream with its own headers and events; resolves to how it ended (an error, or undefined). */
  writeStream(
    response: ServerResponse,
    stream: RoutedStream,
    input: { chat: ChatRequest; state: S },
  ): Promise<unknown>;
  /** The whole answer as JSON text with the headers beside the trace's. */
  answer(input: { completion: ChatResponse; trace: RoutingTrace; state: S }): {
    json: string;
    headers: readonly string[];
  };
  /** Writes an error in the protocol's shape (OpenAI's by default). */
  readonly render?: DoorFailure['render'];
}

/**
 * A door that routes a chat call, the one way for every protocol that speaks chat: the key, the
 * body under the request limits, the dialect's translation, the chat checks and limits, the key's
 * routes, the call (with the door, `Cache-Control` and an abort on disconnect), the answer or the
 * stream in the dialect's shape, and one log line however it ends.
 */
export function chatDoor<S>(context: DoorContext, dialect: ChatDialect<S>) {
  const { router, keys } = context;
  const { door, render } = dialect;
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
      const read = dialect.read(body);
      chat = checkChatRequest(read.chat, context.requestLimits);
      const { state } = read;
      keys.authorize(key, chat.models === undefined ? [chat.model] : [chat.model, ...chat.models]);
      const call = context.call(response, key, chat.user);
      const { options } = call;
      // Set, not spread in: a literal with keys after a spread takes a slow path on Node 20.
      options.door = door;
      if (chat.stream === true) {
        const stream = await router.stream(chat, options);
        call.detach();
        const error = await dialect.writeStream(response, stream, { chat, state });
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
      const { json, headers } = dialect.answer({ completion, trace, state });
      sendJson(response, { status: 200, json, headers });
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
        render,
      });
    }
  };
}

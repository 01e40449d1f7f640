import type { IncomingMessage, ServerResponse } from 'node:http';
import { translateCountTokensRequest } from '../../dialects/messages/messages-request.js';
import { profileRequest } from '../../routing/request-profile.js';
import type { ChatRequest } from '../../types/chat.js';
import { checkChatRequest } from '../check-chat-request.js';
import type { DoorContext } from '../door-context.js';
import type { GatewayKey } from '../gateway-keys.js';
import { readJsonBody } from '../read-json-body.js';
import { sendJson } from '../send-json.js';
import { renderMessagesError } from './messages-door.js';

/**
 * `POST /messages/count_tokens`: the input tokens of a Messages request, `{ "input_tokens" }`,
 * counted by the tokenizer the router estimates budgets and context windows with (gpt-tokenizer's
 * o200k, plus the chat format's per-message overhead) on the request as it would be sent. An
 * estimate, not the upstream's own count (another model family tokenizes differently); nothing is
 * called upstream, spent or written to the ledger. Errors are in Anthropic's shape.
 */
export function countTokensDoor(context: DoorContext) {
  const { keys } = context;
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
      chat = checkChatRequest(translateCountTokensRequest(body), context.requestLimits);
      keys.authorize(key, [chat.model]);
      const inputTokens = profileRequest(chat).promptTokens();
      sendJson(response, { status: 200, json: JSON.stringify({ input_tokens: inputTokens }), headers: [] });
      context.log({ request, started, status: 200, stream: false, key, trace: undefined, error: undefined });
    } catch (error) {
      context.fail({
        request,
        started,
        response,
        error,
        key,
        stream: false,
        model: chat?.model,
        render: renderMessagesError,
      });
    }
  };
}

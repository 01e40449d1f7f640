import type { ServerResponse } from 'node:http';
import { type AnthropicErrorAnswer, anthropicError } from '../dialects/messages/anthropic-error.js';
import { headerList, sendJson } from './send-json.js';

/**
 * Writes anything thrown on a Node response in Anthropic's error shape, as `renderError` writes
 * OpenAI's: the same status and headers (the trace, `Retry-After`; the headers of a request refused
 * before routing), the body Anthropic's SDK parses into its typed errors. A response whose headers
 * are sent is ended; a destroyed one is left alone.
 * @returns the answer, written or not (for the caller's log)
 */
export function renderAnthropicError(
  response: ServerResponse,
  error: unknown,
  model: string | undefined,
): AnthropicErrorAnswer {
  const answer = anthropicError(error, { unrouted: true, model });
  if (response.headersSent) {
    if (!response.writableEnded) response.end();
    return answer;
  }
  if (response.destroyed) return answer;
  sendJson(response, {
    status: answer.status,
    json: JSON.stringify(answer.body),
    headers: headerList(answer.headers),
  });
  return answer;
}

import type { ServerResponse } from 'node:http';
import { type ErrorAnswerOptions, errorAnswer } from './error-answer.js';
import { headerList, sendJson } from './send-json.js';
import { type OpenAIErrorAnswer, toOpenAIError } from './to-openai-error.js';

const TRACE_HEADER = 'x-switchyard-';

/**
 * Writes anything thrown on a Node response as {@link errorAnswer} makes it: OpenAI's error JSON,
 * its status, its headers and the routing trace. Trace headers a request client already set
 * (adding up every call of the request) are kept. A response whose headers are sent is ended; a
 * destroyed one is left alone.
 * @returns the answer, written or not (for the caller's log)
 * @example if (!(await gateway.handle(req, res))) renderError(res, notFoundError({ method: 'GET', path: '/nope' }));
 */
export function renderError(
  response: ServerResponse,
  error: unknown,
  options: ErrorAnswerOptions = {},
): OpenAIErrorAnswer {
  const answer = errorAnswer(error, options);
  if (response.headersSent) {
    if (!response.writableEnded) response.end();
    return answer;
  }
  if (response.destroyed) return answer;
  let { headers } = answer;
  if (response.hasHeader(`${TRACE_HEADER}request-id`)) {
    headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(TRACE_HEADER)));
  }
  try {
    sendJson(response, {
      status: answer.status,
      json: JSON.stringify(answer.body),
      headers: headerList(headers),
    });
  } catch (error) {
    // Headers Node refuses (an error's own, set by other code): answer without them, a bare 500,
    // rather than throw from the error path, which no log line would follow. Headers set before
    // were checked when they were set.
    if (response.headersSent) throw error;
    const failed = toOpenAIError(error);
    sendJson(response, { status: failed.status, json: JSON.stringify(failed.body), headers: [] });
    return failed;
  }
  return answer;
}

import { AttemptError } from '../errors/attempt-error.js';
import { classifyWireError, type FailureSource } from '../outcome/classify-failure.js';
import type { HeaderBag } from '../retry/retry-after.js';
import { ResponseTooLarge } from '../transport/response-too-large.js';
import type { TransportResponse } from '../transport/transport.js';
import type { ChatResponse } from '../types/chat.js';

/** The first value of a response header. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads a whole upstream body, at most `maxBytes` of it (`upstreamLimits.maxAnswerBytes`): past
 * that, a `ResponseTooLarge` and the connection is dropped rather than the answer held.
 */
export async function readAnswerText(response: TransportResponse, maxBytes: number): Promise<string> {
  const text = await response.text({ limitBytes: maxBytes });
  // A transport that ignores the limit is still held to it (a string has no more characters than bytes).
  if (text.length > maxBytes) throw new ResponseTooLarge({ limit: 'maxAnswerBytes', max: maxBytes });
  return text;
}

/** An `invalid_response` failure naming what was wrong with the upstream's answer. */
export function invalidResponse(source: FailureSource, what: string): AttemptError {
  return new AttemptError({
    code: 'invalid_response',
    message: `${source.label} sent an invalid answer: ${what}`,
  });
}

/**
 * Parses a 2xx non-streamed body of any operation: a body that is not a JSON object is an
 * `invalid_response`, an error body (OpenRouter's HTTP-200 error) the failure it names.
 */
export function readAnswerBody<T extends object>(
  text: string,
  options: { source: FailureSource; headers: HeaderBag },
): T {
  let parsed: T & { error?: Record<string, unknown> };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidResponse(options.source, 'body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw invalidResponse(options.source, 'body is not an object');
  if (parsed.error !== undefined) {
    throw classifyWireError({
      error: parsed.error,
      status: 200,
      headers: options.headers,
      source: options.source,
      context: 'HTTP 200 with an error body',
    });
  }
  return parsed;
}

/**
 * Reads a 2xx non-streamed chat body: an error body, no choices and `finish_reason: "error"` are
 * failures, thrown as classified {@link AttemptError}s.
 */
export function readCompletion(
  text: string,
  options: { source: FailureSource; headers: HeaderBag },
): ChatResponse {
  const parsed = readAnswerBody<ChatResponse>(text, options);
  if (!Array.isArray(parsed.choices) || parsed.choices.length === 0)
    throw invalidResponse(options.source, 'no choices');
  if ((parsed.choices[0]?.finish_reason as string | undefined) === 'error') {
    throw new AttemptError({
      code: 'upstream_unavailable',
      message: `${options.source.label} failed during generation (finish_reason "error")`,
    });
  }
  return parsed;
}

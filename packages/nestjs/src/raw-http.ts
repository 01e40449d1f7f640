import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Node's request behind a framework's: Express's `Request` is one, Fastify's has it as `raw`. A
 * body Fastify already parsed is handed over as `raw.body` (the bridge uses a parsed body as is).
 * @throws TypeError when neither
 */
export function rawRequest(request: unknown): IncomingMessage {
  if (request instanceof IncomingMessage) return request;
  const wrapper = request as { raw?: unknown; body?: unknown } | null;
  const raw = wrapper?.raw;
  if (!(raw instanceof IncomingMessage)) {
    throw new TypeError('not a Node HTTP request (Express or Fastify expected)');
  }
  if (wrapper?.body !== undefined) (raw as IncomingMessage & { body?: unknown }).body = wrapper.body;
  return raw;
}

/**
 * Node's response behind a framework's, or undefined: Express's `Response` is one, Fastify's reply
 * has it as `raw` (with `hijack`, the reply is hijacked, so Fastify leaves it to the caller).
 */
export function findRawResponse(
  response: unknown,
  options: { hijack?: boolean } = {},
): ServerResponse | undefined {
  if (response instanceof ServerResponse) return response;
  const reply = response as { raw?: unknown; hijack?: () => void } | null;
  if (!(reply?.raw instanceof ServerResponse)) return undefined;
  if (options.hijack === true) reply.hijack?.();
  return reply.raw;
}

/**
 * {@link findRawResponse}, required.
 * @throws TypeError when the response is neither Express's nor Fastify's
 */
export function rawResponse(response: unknown, options: { hijack?: boolean } = {}): ServerResponse {
  const found = findRawResponse(response, options);
  if (found === undefined) throw new TypeError('not a Node HTTP response (Express or Fastify expected)');
  return found;
}

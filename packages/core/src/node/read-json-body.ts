import type { IncomingMessage } from 'node:http';
import { GatewayError } from './http-error.js';

/** Default largest request body: 4 MiB (long prompts fit; a runaway upload does not). */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Reads a request body as JSON, itself (no body-parser on the hot path): 413 past `limitBytes`
 * (checked against Content-Length first), 400 for a body that is not JSON. A body a framework
 * already parsed (`req.body`) is used as it is.
 */
export async function readJsonBody(
  request: IncomingMessage & { body?: unknown },
  options: { limitBytes?: number } = {},
): Promise<unknown> {
  if (
    request.body !== undefined &&
    typeof request.body === 'object' &&
    request.body !== null &&
    !Buffer.isBuffer(request.body)
  ) {
    return request.body;
  }
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const tooLarge = (): GatewayError =>
    new GatewayError({
      status: 413,
      code: 'body_too_large',
      message: `request body is larger than ${limit} bytes`,
    });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  const text =
    chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    throw new GatewayError({
      status: 400,
      code: 'invalid_json',
      message: 'request body is empty; send a JSON object',
    });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatewayError({
      status: 400,
      code: 'invalid_json',
      message: `request body is not valid JSON: ${(error as Error).message}`,
    });
  }
}
